#include "pki/server_certificate.h"

#include <openssl/crypto.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "pki/certificate_info.h"
#include "pki/openssl_error.h"
#include "pki/pem_file.h"

namespace vigil::pki {
namespace {

Error FileError(const std::filesystem::path& path, Error error) {
  return Annotate(Annotate(std::move(error), path.string()), "tls");
}

Status MakePrivateDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir.parent_path(), ec);
  if (ec) {
    return MakeError(ErrorCode::kUnavailable,
                     "tls: " + dir.parent_path().string() + ": " + ec.message());
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return MakeError(ErrorCode::kUnavailable,
                     "tls: " + dir.string() + ": mkdir: " + std::strerror(errno));
  }
  return OkStatus();
}

}  // namespace

ServerCertificateFiles DefaultServerCertificateFiles(const std::filesystem::path& dir) {
  return {.cert_file = dir / "tls" / "server.crt", .key_file = dir / "tls" / "server.key"};
}

Result<CertificateInfo> LoadServerCertificate(const ServerCertificateFiles& files) {
  auto cert_pem = ReadPemFile(files.cert_file);
  if (!cert_pem) {
    return tl::unexpected(Annotate(cert_pem.error(), "tls"));
  }
  auto cert = ParseCertificatePem(*cert_pem);
  if (!cert) {
    return tl::unexpected(FileError(files.cert_file, cert.error()));
  }
  auto key_pem = ReadPemFile(files.key_file);
  if (!key_pem) {
    return tl::unexpected(Annotate(key_pem.error(), "tls"));
  }
  auto key = ParsePrivateKeyPem(*key_pem);
  OPENSSL_cleanse(key_pem->data(), key_pem->size());
  if (!key) {
    return tl::unexpected(FileError(files.key_file, key.error()));
  }
  if (X509_check_private_key(cert->get(), key->get()) != 1) {
    ClearOpenSslErrors();
    return MakeError(ErrorCode::kInvalidArgument, "tls: " + files.key_file.string() +
                                                      ": key does not match certificate " +
                                                      files.cert_file.string());
  }
  return DescribeCertificate(cert->get(), key->get());
}

Result<ServerCertificateFiles> EnsureServerCertificate(const std::filesystem::path& dir,
                                                       TimePoint now) {
  ServerCertificateFiles files = DefaultServerCertificateFiles(dir);
  std::error_code ec;
  const bool have_cert = std::filesystem::exists(files.cert_file, ec);
  const bool have_key = std::filesystem::exists(files.key_file, ec);
  if (have_cert != have_key) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "tls: " + (have_cert ? files.cert_file : files.key_file).string() +
                         " exists without " +
                         (have_cert ? files.key_file : files.cert_file).string() +
                         "; remove it to create a new pair, or add its partner");
  }
  if (have_cert) {
    auto loaded = LoadServerCertificate(files);
    if (!loaded) {
      return tl::unexpected(loaded.error());
    }
    return files;
  }
  VIGIL_RETURN_IF_ERROR(MakePrivateDirectory(files.key_file.parent_path()));
  auto created = CreateSelfSignedServerCertificate(files, SelfSignedOptions{}, now);
  if (!created) {
    return tl::unexpected(created.error());
  }
  return files;
}

Result<ServerCertificateFiles> EnsureServerCertificate(const std::filesystem::path& dir) {
  return EnsureServerCertificate(dir, SystemClock().Now());
}

}  // namespace vigil::pki
