import { ValidationError } from "../core/validation";

/** An image pinned by content: `<repository>@sha256:<64 hex digits>`. */
const DIGEST = /^(?<repository>[^@\s]+)@sha256:[0-9a-f]{64}$/;
/** An image by tag: `<repository>:<tag>`, the tag as Docker allows it. */
const TAGGED = /^(?<repository>[^@\s]+):[\w][\w.-]{0,127}$/;

/** An explicit opt-out of digest pinning: the image may be given by tag, which its owner can move. */
export interface MutableImageTagOptOut {
  /** Why a tag is acceptable here, e.g. "dev only: the image is rebuilt on every commit". At least 20 characters. */
  readonly reason: string;
}

/**
 * Checks a container image reference: pulled from one of `registries` (URI prefixes such as
 * `123456789012.dkr.ecr.eu-west-1.amazonaws.com/smd-dev`) and pinned by digest, so that what runs is exactly what
 * was scanned and signed. A tag is accepted only with `allowMutableTag`. The registries may be unresolved tokens:
 * the image must then begin with the same token text (build it from the same value). Returns whether it is pinned.
 */
export function checkImage(
  where: string,
  property: string,
  image: string,
  registries: readonly string[],
  allowMutableTag?: MutableImageTagOptOut,
): boolean {
  if (registries.length === 0) {
    throw new ValidationError(
      where,
      "registries",
      registries,
      "allowed: at least one registry URI prefix to pull from",
    );
  }
  const repository =
    typeof image === "string" ? (DIGEST.exec(image) ?? TAGGED.exec(image))?.groups?.repository : undefined;
  if (repository === undefined) {
    throw new ValidationError(
      where,
      property,
      image,
      "allowed: <registry>/<repository>@sha256:<64 lowercase hex digits> (an image pinned by digest)",
    );
  }
  if (!registries.some((registry) => repository.startsWith(`${registry}/`))) {
    throw new ValidationError(
      where,
      property,
      image,
      `allowed: images of the blueprint's registry (${registries.join(", ")}): copy third-party images there first`,
    );
  }
  const pinned = DIGEST.test(image);
  if (!pinned && allowMutableTag === undefined) {
    throw new ValidationError(
      where,
      property,
      image,
      "allowed: an image pinned by digest (<repository>@sha256:<digest>): a tag can be moved to other content; set allowMutableTag with a reason to accept one",
    );
  }
  if (
    allowMutableTag !== undefined &&
    (typeof allowMutableTag.reason !== "string" || allowMutableTag.reason.trim().length < 20)
  ) {
    throw new ValidationError(
      where,
      "allowMutableTag.reason",
      allowMutableTag.reason,
      "allowed: a reason of at least 20 characters saying why a movable tag is acceptable",
    );
  }
  return pinned;
}
