#pragma once
// Registered devices prove who they are with an ECDSA P-256 key the tablet's browser made
// (WebCrypto, non-extractable) and never shows: it signs a fresh challenge from the box.
// Keys travel as base64 SubjectPublicKeyInfo (what WebCrypto's exportKey("spki") gives);
// signatures as WebCrypto makes them: the 64-byte IEEE P1363 form r || s, over SHA-256.

#include <string>

namespace nestbox::security {

// True when `spkiBase64` is an uncompressed or compressed EC public key on P-256.
bool isP256PublicKey(const std::string& spkiBase64);

// True when `signatureBase64` (r || s, 64 bytes) is `message` signed with the private half of
// `spkiBase64` (ECDSA with SHA-256). False for anything malformed.
bool verifyP256Signature(const std::string& spkiBase64, const std::string& message, const std::string& signatureBase64);

std::string base64Encode(const std::string& bytes);
// Empty when not valid base64.
std::string base64Decode(const std::string& text);

}  // namespace nestbox::security
