import { ValidationError } from "../core/validation";

/** The extended resource NVIDIA's device plugin advertises: one unit per GPU. */
export const GPU_RESOURCE = "nvidia.com/gpu";

/** CPU, memory and GPUs, as Kubernetes writes them: `"500m"` or `"2"` cores, `"8Gi"` bytes, whole GPUs. */
export interface ResourceAmounts {
  /** CPU cores: `"500m"`, `"2"`, `"1.5"`. */
  readonly cpu: string;
  /** Memory: `"512Mi"`, `"16Gi"` (binary or decimal suffixes, or plain bytes). */
  readonly memory: string;
  /** NVIDIA GPUs (`nvidia.com/gpu`): a whole number. Default: none. */
  readonly gpu?: number;
}

const CPU = /^(\d+(?:\.\d{1,3})?)(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/;
const MEMORY_FACTORS: Readonly<Record<string, number>> = {
  "": 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
};

/** A CPU quantity in millicores; throws a {@link ValidationError} for anything Kubernetes would not read as CPU. */
export function parseCpu(where: string, property: string, value: string): number {
  const match = typeof value === "string" ? CPU.exec(value) : null;
  const millicores = match ? (match[2] ? Number(match[1]) : Number(match[1]) * 1000) : Number.NaN;
  if (!Number.isInteger(millicores) || millicores <= 0) {
    throw new ValidationError(
      where,
      property,
      value,
      'allowed: a positive CPU quantity in whole millicores, such as "500m", "2" or "1.5"',
    );
  }
  return millicores;
}

/** A memory quantity in bytes; throws a {@link ValidationError} for anything Kubernetes would not read as memory. */
export function parseMemory(where: string, property: string, value: string): number {
  const match = typeof value === "string" ? MEMORY.exec(value) : null;
  const bytes = match ? Number(match[1]) * MEMORY_FACTORS[match[2] ?? ""] : Number.NaN;
  if (!Number.isFinite(bytes) || bytes < 1) {
    throw new ValidationError(
      where,
      property,
      value,
      'allowed: a positive memory quantity such as "512Mi" or "16Gi" (suffixes Ki, Mi, Gi, Ti, Pi, k, M, G, T, P)',
    );
  }
  return bytes;
}

/** Checks a GPU count: a whole number from 0 to `max`. */
export function checkGpuCount(where: string, property: string, value: number, max = 64): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new ValidationError(where, property, value, `allowed: a whole number of GPUs from 0 to ${max}`);
  }
}

/** Amounts in base units (millicores, bytes, GPUs), for sums and comparisons. */
export interface ParsedAmounts {
  readonly millicores: number;
  readonly bytes: number;
  readonly gpus: number;
}

/** Parses and checks one set of amounts. */
export function parseAmounts(where: string, property: string, amounts: ResourceAmounts): ParsedAmounts {
  if (typeof amounts !== "object" || amounts === null) {
    throw new ValidationError(
      where,
      property,
      amounts,
      'allowed: { cpu, memory, gpu? }, such as { cpu: "4", memory: "16Gi", gpu: 1 }',
    );
  }
  if (amounts.gpu !== undefined) checkGpuCount(where, `${property}.gpu`, amounts.gpu);
  return {
    millicores: parseCpu(where, `${property}.cpu`, amounts.cpu),
    bytes: parseMemory(where, `${property}.memory`, amounts.memory),
    gpus: amounts.gpu ?? 0,
  };
}

/** The amounts as a Kubernetes resource list (`cpu`, `memory`, `nvidia.com/gpu` when there are GPUs). */
export function resourceList(amounts: ResourceAmounts): Record<string, string> {
  const list: Record<string, string> = { cpu: amounts.cpu, memory: amounts.memory };
  if (amounts.gpu) list[GPU_RESOURCE] = String(amounts.gpu);
  return list;
}

/** Renders millicores and bytes for an error message: `"4 CPU (4000m)"`, `"16 GiB"`. */
export function describeAmounts(amounts: ParsedAmounts): string {
  const gib = amounts.bytes / 2 ** 30;
  return `${amounts.millicores}m CPU, ${Number.isInteger(gib) ? gib : gib.toFixed(2)} GiB memory, ${amounts.gpus} GPU`;
}
