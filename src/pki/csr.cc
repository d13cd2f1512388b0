#include "pki/csr.h"

#include <openssl/core_names.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <algorithm>
#include <memory>
#include <span>
#include <string>

#include "pki/openssl_error.h"

namespace vigil::pki {
namespace {

struct SequenceFree {
  void operator()(ASN1_SEQUENCE_ANY* p) const { sk_ASN1_TYPE_pop_free(p, ASN1_TYPE_free); }
  void operator()(X509_ALGOR* p) const { X509_ALGOR_free(p); }
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  void operator()(unsigned char* p) const { OPENSSL_free(p); }
};
using Sequence = std::unique_ptr<ASN1_SEQUENCE_ANY, SequenceFree>;

tl::unexpected<Error> CsrError(std::string_view reason) {
  ClearOpenSslErrors();
  return MakeError(ErrorCode::kInvalidArgument, "csr: " + std::string(reason));
}

std::span<const unsigned char> Bytes(const ASN1_STRING* s) {
  return {ASN1_STRING_get0_data(s), static_cast<std::size_t>(ASN1_STRING_length(s))};
}

// The elements of the DER SEQUENCE that is exactly `der` (OpenSSL keeps constructed elements
// in their encoded form, header included).
Sequence ReadSequence(std::span<const unsigned char> der) {
  const unsigned char* p = der.data();
  Sequence sequence(d2i_ASN1_SEQUENCE_ANY(nullptr, &p, static_cast<long>(der.size())));
  if (sequence && p != der.data() + der.size()) {
    sequence.reset();
  }
  return sequence;
}

const ASN1_STRING* Element(const Sequence& sequence, int index, int type) {
  const ASN1_TYPE* element = sk_ASN1_TYPE_value(sequence.get(), index);
  return element != nullptr && ASN1_TYPE_get(element) == type ? element->value.asn1_string
                                                              : nullptr;
}

// A BIT STRING's bytes, when it has no unused bits.
bool WholeBytes(const ASN1_BIT_STRING* bits) {
  return (bits->flags & ASN1_STRING_FLAG_BITS_LEFT) == 0 || (bits->flags & 0x07) == 0;
}

std::unique_ptr<X509_ALGOR, SequenceFree> ReadAlgorithm(const ASN1_STRING* der) {
  const unsigned char* p = ASN1_STRING_get0_data(der);
  return std::unique_ptr<X509_ALGOR, SequenceFree>(
      d2i_X509_ALGOR(nullptr, &p, ASN1_STRING_length(der)));
}

// RFC 5480 section 2.1.1: id-ecPublicKey with the namedCurve secp256r1, uncompressed point.
Status ReadPublicKey(const ASN1_STRING* spki_der, DeviceCsr& csr) {
  const Sequence spki = ReadSequence(Bytes(spki_der));
  const ASN1_STRING* algorithm_der = spki ? Element(spki, 0, V_ASN1_SEQUENCE) : nullptr;
  const ASN1_STRING* key = spki ? Element(spki, 1, V_ASN1_BIT_STRING) : nullptr;
  const auto algorithm = algorithm_der ? ReadAlgorithm(algorithm_der) : nullptr;
  if (!algorithm || key == nullptr || sk_ASN1_TYPE_num(spki.get()) != 2) {
    return CsrError("malformed subject public key info");
  }
  const ASN1_OBJECT* key_type = nullptr;
  int parameter_type = 0;
  const void* parameter = nullptr;
  X509_ALGOR_get0(&key_type, &parameter_type, &parameter, algorithm.get());
  const int key_nid = OBJ_obj2nid(key_type);
  if (key_nid == NID_rsaEncryption || key_nid == NID_rsassaPss) {
    return CsrError("key must be ecdsa p-256, not rsa");
  }
  if (key_nid != NID_X9_62_id_ecPublicKey) {
    return CsrError("key must be ecdsa p-256");
  }
  if (parameter_type != V_ASN1_OBJECT) {
    return CsrError("key must name the p-256 curve, not carry explicit parameters");
  }
  if (const int curve = OBJ_obj2nid(static_cast<const ASN1_OBJECT*>(parameter));
      curve != NID_X9_62_prime256v1) {
    const char* name = curve == NID_undef ? "unknown" : OBJ_nid2sn(curve);
    return CsrError(std::string("key must be ecdsa p-256, not curve ") + name);
  }
  const auto point = Bytes(key);
  if (!WholeBytes(key) || point.size() != csr.public_key.size() || point[0] != 0x04) {
    return CsrError("key must be an uncompressed p-256 point");
  }
  std::copy(point.begin(), point.end(), csr.public_key.begin());
  return OkStatus();
}

const char* SignatureDigest(const ASN1_STRING* algorithm_der) {
  const auto algorithm = ReadAlgorithm(algorithm_der);
  if (!algorithm) {
    return nullptr;
  }
  const ASN1_OBJECT* oid = nullptr;
  X509_ALGOR_get0(&oid, nullptr, nullptr, algorithm.get());
  switch (OBJ_obj2nid(oid)) {
    case NID_ecdsa_with_SHA256:
      return "SHA256";
    case NID_ecdsa_with_SHA384:
      return "SHA384";
    case NID_ecdsa_with_SHA512:
      return "SHA512";
    default:
      return nullptr;
  }
}

// P-256 domain parameters without a key, made once; each check copies it and sets the point.
const EVP_PKEY* P256Parameters() {
  static EVP_PKEY* const parameters = [] {
    EVP_PKEY* key = nullptr;
    std::array<char, 11> group = {'p', 'r', 'i', 'm', 'e', '2', '5', '6', 'v', '1', '\0'};
    std::array<OSSL_PARAM, 2> params = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
        OSSL_PARAM_construct_end()};
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    if (ctx == nullptr || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEY_PARAMETERS, params.data()) != 1) {
      key = nullptr;
    }
    EVP_PKEY_CTX_free(ctx);
    ClearOpenSslErrors();
    return key;
  }();
  return parameters;
}

Status VerifySignature(const DeviceCsr& csr, const char* digest,
                       std::span<const unsigned char> signed_bytes,
                       std::span<const unsigned char> signature) {
  const EVP_PKEY* parameters = P256Parameters();
  if (parameters == nullptr) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "csr: p-256 parameters"));
  }
  OpenSslPtr<EVP_PKEY> key(EVP_PKEY_dup(const_cast<EVP_PKEY*>(parameters)));
  if (!key) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "csr: key"));
  }
  // Refuses points that are not on the curve.
  if (EVP_PKEY_set1_encoded_public_key(key.get(), csr.public_key.data(), csr.public_key.size()) !=
      1) {
    return CsrError("public key is not a p-256 point");
  }
  std::unique_ptr<EVP_MD_CTX, SequenceFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), nullptr, digest, nullptr, nullptr, key.get(),
                                      nullptr) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "csr: verify"));
  }
  if (EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), signed_bytes.data(),
                       signed_bytes.size()) != 1) {
    return CsrError("signature does not verify");
  }
  return OkStatus();
}

Result<std::unique_ptr<unsigned char, SequenceFree>> PemToDer(std::string_view pem, long& size) {
  OpenSslPtr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "csr: bio"));
  }
  unsigned char* der = nullptr;
  char* name = nullptr;
  if (PEM_bytes_read_bio(&der, &size, &name, PEM_STRING_X509_REQ, bio.get(), nullptr, nullptr) !=
      1) {
    return CsrError("not a pem certificate request");
  }
  OPENSSL_free(name);
  return std::unique_ptr<unsigned char, SequenceFree>(der);
}

}  // namespace

Result<DeviceCsr> ParseDeviceCsr(std::string_view pem) {
  if (pem.size() > kMaxCsrBytes) {
    return CsrError("larger than 16 kib");
  }
  long size = 0;
  auto der = PemToDer(pem, size);
  if (!der) {
    return tl::unexpected(der.error());
  }
  // RFC 2986 section 4.2: SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature }
  // and section 4.1: certificationRequestInfo is SEQUENCE { version, subject,
  // subjectPKInfo, [0] attributes }.
  const Sequence request = ReadSequence({der->get(), static_cast<std::size_t>(std::max(size, 0L))});
  const ASN1_STRING* info_der = request ? Element(request, 0, V_ASN1_SEQUENCE) : nullptr;
  const ASN1_STRING* algorithm_der = request ? Element(request, 1, V_ASN1_SEQUENCE) : nullptr;
  const ASN1_STRING* signature = request ? Element(request, 2, V_ASN1_BIT_STRING) : nullptr;
  const Sequence info = info_der ? ReadSequence(Bytes(info_der)) : nullptr;
  const ASN1_STRING* version = info ? Element(info, 0, V_ASN1_INTEGER) : nullptr;
  const ASN1_STRING* spki_der = info ? Element(info, 2, V_ASN1_SEQUENCE) : nullptr;
  if (algorithm_der == nullptr || signature == nullptr || sk_ASN1_TYPE_num(request.get()) != 3 ||
      version == nullptr || ASN1_INTEGER_get(version) != 0 || spki_der == nullptr ||
      Element(info, 1, V_ASN1_SEQUENCE) == nullptr || sk_ASN1_TYPE_num(info.get()) > 4) {
    return CsrError("not a pkcs#10 certificate request");
  }
  DeviceCsr csr;
  VIGIL_RETURN_IF_ERROR(ReadPublicKey(spki_der, csr));
  const char* digest = SignatureDigest(algorithm_der);
  if (digest == nullptr) {
    return CsrError("signature must be ecdsa with sha-256, sha-384 or sha-512");
  }
  if (!WholeBytes(signature)) {
    return CsrError("signature does not verify");
  }
  VIGIL_RETURN_IF_ERROR(VerifySignature(csr, digest, Bytes(info_der), Bytes(signature)));
  return csr;
}

}  // namespace vigil::pki
