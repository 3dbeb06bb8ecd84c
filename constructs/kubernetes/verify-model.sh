#!/bin/bash
# Verifies one model version before its server may load it, and fails closed: the inference pod's init container.
#
# A model version is a folder of the model store, <version prefix> = <model prefix><version>/, holding
#   manifest.sha256  every file's SHA-256, one "<sha256>  ./<path>" line per file (sha256sum's format)
#   manifest.sig     the signing key's signature (DER) of the manifest's SHA-256, made in KMS
#   files/           the model's files, exactly those the manifest lists
# This script downloads the manifest and its signature, has KMS verify the signature with the environment's signing
# key, downloads the files into MODEL_DIR (which the model server mounts read-only) and checks every file against
# the manifest. Any failure exits non-zero with one line saying why, so the pod never starts its model server and
# never becomes ready; the line is in the container's log and in the pod's status (FallbackToLogsOnError).
#
# Needs bash, coreutils and the AWS CLI v2 (the digest-pinned AWS CLI image). Environment:
#   MODEL_BUCKET          the model store's bucket
#   MODEL_VERSION_PREFIX  the version's folder, ending in /
#   SIGNING_KEY_ID        the signing key (alias/... or its ARN)
#   SIGNING_ALGORITHM     the key's signing algorithm, e.g. ECDSA_SHA_256
#   MODEL_DIR             where the verified files go (an emptyDir the server mounts read-only)
#   WORK_DIR              scratch space for the manifest and signature (default /tmp/verify-model)
set -euo pipefail
shopt -s globstar nullglob dotglob

refuse() {
  local code=$1
  shift
  echo "verify-model: REFUSED: $*" >&2
  exit "$code"
}

for name in MODEL_BUCKET MODEL_VERSION_PREFIX SIGNING_KEY_ID SIGNING_ALGORITHM MODEL_DIR; do
  [[ -n "${!name:-}" ]] || refuse 64 "$name is not set"
done
[[ "$MODEL_VERSION_PREFIX" == */ ]] || refuse 64 "MODEL_VERSION_PREFIX ($MODEL_VERSION_PREFIX) must end with /"
[[ -d "$MODEL_DIR" ]] || refuse 64 "MODEL_DIR ($MODEL_DIR) is not a directory"
case "$SIGNING_ALGORITHM" in
*_SHA_256) hash=sha256sum ;;
*_SHA_384) hash=sha384sum ;;
*) refuse 64 "SIGNING_ALGORITHM $SIGNING_ALGORITHM is not one of ECDSA_SHA_256, ECDSA_SHA_384, RSASSA_PSS_SHA_256, RSASSA_PSS_SHA_384" ;;
esac

source="s3://$MODEL_BUCKET/$MODEL_VERSION_PREFIX"
work="${WORK_DIR:-/tmp/verify-model}"
rm -rf -- "$work"
mkdir -p -- "$work"

aws s3 cp --only-show-errors "${source}manifest.sha256" "$work/manifest.sha256" 2>"$work/error" ||
  refuse 2 "no manifest at ${source}manifest.sha256, so no signed model version there: $(<"$work/error")"
aws s3 cp --only-show-errors "${source}manifest.sig" "$work/manifest.sig" 2>"$work/error" ||
  refuse 3 "no signature at ${source}manifest.sig: the model version is not signed: $(<"$work/error")"

# KMS verifies the signature of the manifest's digest, the bytes themselves (MessageType DIGEST), made with the hash
# of the key's algorithm: SHA-256 for ECDSA_SHA_256 and RSASSA_PSS_SHA_256, SHA-384 for the _SHA_384 ones.
digest=$("$hash" "$work/manifest.sha256")
digest=${digest%% *}
bytes=""
for ((i = 0; i < ${#digest}; i += 2)); do bytes+="\\x${digest:i:2}"; done
printf '%b' "$bytes" >"$work/manifest.digest"
valid=$(aws kms verify --key-id "$SIGNING_KEY_ID" --signing-algorithm "$SIGNING_ALGORITHM" \
  --message-type DIGEST --message "fileb://$work/manifest.digest" --signature "fileb://$work/manifest.sig" \
  --query SignatureValid --output text 2>"$work/error") ||
  refuse 4 "the signature of ${source}manifest.sha256 is not valid for $SIGNING_KEY_ID: $(<"$work/error")"
[[ "$valid" == "True" ]] || refuse 4 "KMS did not confirm the signature of ${source}manifest.sha256 ($valid)"

# The manifest, now trusted, must be well formed: paths inside the folder, each once.
declare -A listed=()
count=0
while IFS= read -r line || [[ -n "$line" ]]; do
  count=$((count + 1))
  [[ "$line" =~ ^[0-9a-f]{64}\ \ \./([A-Za-z0-9._][A-Za-z0-9._/-]*)$ ]] ||
    refuse 5 "manifest line $count is not '<sha256>  ./<path>': $line"
  path=${BASH_REMATCH[1]}
  [[ "/$path/" != */../* && "/$path/" != */./* && "$path" != *//* && "$path" != */ ]] ||
    refuse 5 "manifest line $count names $path, which is not a plain path inside the model folder"
  [[ -z "${listed[$path]:-}" ]] || refuse 5 "manifest lists $path twice"
  listed[$path]=1
done <"$work/manifest.sha256"
((count > 0)) || refuse 5 "the manifest lists no file"

rm -rf -- "${MODEL_DIR:?}"/*
aws s3 cp --only-show-errors --recursive "${source}files/" "$MODEL_DIR/" 2>"$work/error" ||
  refuse 6 "the files under ${source}files/ could not be downloaded: $(<"$work/error")"

cd -- "$MODEL_DIR"
sha256sum --check --strict --quiet "$work/manifest.sha256" >"$work/check" 2>&1 ||
  refuse 7 "files differ from the signed manifest: $(tr '\n' ';' <"$work/check")"
for file in **; do
  [[ -L "$file" ]] && refuse 8 "$file is a symbolic link"
  [[ -d "$file" ]] && continue
  [[ -n "${listed[$file]:-}" ]] || refuse 8 "$file is not in the signed manifest"
done

echo "verify-model: verified $count files of $source against the manifest (${hash%sum} $digest), signed by $SIGNING_KEY_ID"
