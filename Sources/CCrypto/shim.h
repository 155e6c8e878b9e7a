#ifndef TOGGL_CCRYPTO_SHIM_H
#define TOGGL_CCRYPTO_SHIM_H
/* SHA-256 from libcrypto (OpenSSL 3), which libcurl already brings in: the store keeps a salted
 * digest of the credential that synced it, never the credential. */
#include <openssl/evp.h>
#include <openssl/rand.h>
#endif
