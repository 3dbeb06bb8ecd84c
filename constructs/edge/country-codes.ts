import { ValidationError } from "../core/validation";

/**
 * The ISO 3166-1 alpha-2 country codes (249, as assigned): what a WAF geo match statement takes. A code outside this
 * list (`UK` for GB, `EU`, a typo) is refused at synth instead of by the WAF API at apply.
 */
export const ISO_COUNTRY_CODES: ReadonlySet<string> = new Set(
  (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
    "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
    "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
    "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
    "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
  ).split(" "),
);

/** Checks a country allowlist: 1 or more ISO 3166-1 alpha-2 codes, each once. */
export function checkCountryCodes(where: string, property: string, codes: readonly string[]): void {
  if (!Array.isArray(codes) || codes.length === 0) {
    throw new ValidationError(
      where,
      property,
      codes,
      "allowed: one or more ISO 3166-1 alpha-2 country codes, or no allowlist at all",
    );
  }
  const seen = new Set<string>();
  for (const code of codes) {
    if (!ISO_COUNTRY_CODES.has(code)) {
      throw new ValidationError(
        where,
        property,
        code,
        "allowed: ISO 3166-1 alpha-2 country codes in capitals, such as DE, GB or US (the United Kingdom is GB, not UK)",
      );
    }
    if (seen.has(code)) throw new ValidationError(where, property, code, "allowed: each country once");
    seen.add(code);
  }
}
