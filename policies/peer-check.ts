/**
 * Imported first by every entry point of the package (before anything loads cdktf): refuses, with one clear error,
 * peer dependencies the package was not tested with.
 */
import { assertPeerVersions } from "./peer-versions";

assertPeerVersions();
