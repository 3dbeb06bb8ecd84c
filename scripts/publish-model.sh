#!/bin/bash
# Publishes and signs one model version, then verifies what landed exactly as an inference pod will: the model
# release workflow's step, run with the model publisher role (the only role that may write the store and sign).
#
#   publish-model.sh <local folder> <bucket> <version prefix ending in /> <signing key> <signing algorithm>
#
# Writes <version prefix>files/<path> for every file of the folder, then manifest.sha256 (every file's SHA-256), then
# manifest.sig (the signature of the manifest's SHA-256, made in KMS: the private key never leaves it). The signature
# goes last, so a version whose upload broke off is unsigned and every pod refuses it. A version that already has a
# manifest is refused: a published version never changes (Object Lock keeps every earlier object version anyway).
set -euo pipefail
shopt -s globstar nullglob dotglob

refuse() {
  echo "publish-model: REFUSED: $*" >&2
  exit 1
}

[[ $# -eq 5 ]] || refuse "usage: publish-model.sh <folder> <bucket> <version prefix/> <signing key> <signing algorithm>"
folder=$1 bucket=$2 prefix=$3 key=$4 algorithm=$5
[[ -d "$folder" ]] || refuse "$folder is not a folder"
[[ "$prefix" =~ ^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*/$ ]] || refuse "the version prefix $prefix is not a folder path ending in /"
target="s3://$bucket/$prefix"
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT

if aws s3api head-object --bucket "$bucket" --key "${prefix}manifest.sha256" >/dev/null 2>&1; then
  refuse "${target}manifest.sha256 exists: version $prefix is published already; publish a new version"
fi

# The manifest: every regular file, sorted, as sha256sum prints it from inside the folder.
(
  cd -- "$folder"
  files=()
  for file in **; do
    [[ -L "$file" ]] && refuse "$folder/$file is a symbolic link"
    [[ -d "$file" || "$file" =~ ^[A-Za-z0-9._][A-Za-z0-9._/-]*$ ]] ||
      refuse "$folder/$file: file names may hold letters, digits, '.', '_', '-' and '/' only (what pods accept)"
    [[ -f "$file" ]] && files+=("./$file")
  done
  ((${#files[@]} > 0)) || refuse "$folder holds no file"
  LC_ALL=C sha256sum -- "${files[@]}" | LC_ALL=C sort -k2
) >"$work/manifest.sha256"

# KMS signs the manifest's digest, made with the hash of the key's algorithm (MessageType DIGEST).
case "$algorithm" in
ECDSA_SHA_256) hash=sha256sum check=() ;;
ECDSA_SHA_384) hash=sha384sum check=() ;;
RSASSA_PSS_SHA_256) hash=sha256sum check=(-pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:digest -pkeyopt digest:sha256) ;;
RSASSA_PSS_SHA_384) hash=sha384sum check=(-pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:digest -pkeyopt digest:sha384) ;;
*) refuse "the signing algorithm $algorithm is not one of ECDSA_SHA_256, ECDSA_SHA_384, RSASSA_PSS_SHA_256, RSASSA_PSS_SHA_384" ;;
esac
digest=$("$hash" "$work/manifest.sha256")
digest=${digest%% *}
bytes=""
for ((i = 0; i < ${#digest}; i += 2)); do bytes+="\\x${digest:i:2}"; done
printf '%b' "$bytes" >"$work/manifest.digest"
aws kms sign --key-id "$key" --signing-algorithm "$algorithm" --message-type DIGEST \
  --message "fileb://$work/manifest.digest" --query Signature --output text | base64 -d >"$work/manifest.sig"
[[ -s "$work/manifest.sig" ]] || refuse "KMS returned no signature"
# Check the signature with the key's public key before anything is written: a wrong key or algorithm stops here.
aws kms get-public-key --key-id "$key" --query PublicKey --output text | base64 -d >"$work/public.der"
openssl pkeyutl -verify -pubin -keyform DER -inkey "$work/public.der" "${check[@]}" -in "$work/manifest.digest" \
  -sigfile "$work/manifest.sig" >/dev/null || refuse "the signature KMS returned does not verify with $key's public key"

# No encryption arguments: the bucket encrypts under the store's key, and naming another key is refused.
aws s3 cp --only-show-errors --recursive "$folder/" "${target}files/"
aws s3 cp --only-show-errors "$work/manifest.sha256" "${target}manifest.sha256"
aws s3 cp --only-show-errors "$work/manifest.sig" "${target}manifest.sig"
echo "publish-model: published $(wc -l <"$work/manifest.sha256") files to $target, manifest ${hash%sum} $digest, signed by $key"
