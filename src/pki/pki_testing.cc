#include "pki/pki_testing.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "pki/device_key.h"

namespace vigil::pki::test {

CaMaterial MakeMaterial(std::int64_t now, const CaOptions& options) {
  auto material = CreateDeviceCa(options, now);
  EXPECT_TRUE(material) << material.error().message;
  return material ? *material : CaMaterial{};
}

DeviceCa MakeCa(std::int64_t now) {
  auto ca = DeviceCa::Load(MakeMaterial(now), now);
  if (!ca) {
    ADD_FAILURE() << ca.error().message;
    std::abort();
  }
  return *ca;
}

std::string MakeCsr(std::string_view common_name) {
  const auto key = GenerateDeviceKeyPem();
  EXPECT_TRUE(key) << key.error().message;
  const auto csr = MakeCsrPem(key ? *key : "", common_name);
  EXPECT_TRUE(csr) << csr.error().message;
  return csr ? *csr : std::string();
}

std::string DeviceId(int n) {
  std::ostringstream id;
  id << std::hex << std::setw(32) << std::setfill('0') << n;
  std::string text = id.str();
  text[0] = 'd';  // Not all digits, as real ids are not.
  return text;
}

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.output.append(buffer.data(), n);
  }
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

void WriteText(const std::filesystem::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::uint8_t> PemToDer(std::string_view pem) {
  const auto begin = pem.find('\n', pem.find("-----BEGIN"));
  const auto end = pem.find("-----END");
  std::string base64;
  for (const char c : pem.substr(begin + 1, end - begin - 1)) {
    if (c != '\n' && c != '\r') {
      base64.push_back(c);
    }
  }
  std::vector<std::uint8_t> der(base64.size());
  const int length =
      EVP_DecodeBlock(der.data(), reinterpret_cast<const unsigned char*>(base64.data()),
                      static_cast<int>(base64.size()));
  EXPECT_GT(length, 0);
  // EVP_DecodeBlock counts the bytes that '=' padding stands for.
  std::size_t size = static_cast<std::size_t>(std::max(length, 0));
  for (std::size_t i = base64.size(); i > 0 && base64[i - 1] == '='; --i) {
    --size;
  }
  der.resize(size);
  return der;
}

std::string DerToPem(const std::vector<std::uint8_t>& der, std::string_view label) {
  std::string base64(4 * ((der.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(base64.data()), der.data(),
                                     static_cast<int>(der.size()));
  base64.resize(static_cast<std::size_t>(length));
  std::string pem = "-----BEGIN " + std::string(label) + "-----\n";
  for (std::size_t i = 0; i < base64.size(); i += 64) {
    pem += base64.substr(i, 64) + "\n";
  }
  return pem + "-----END " + std::string(label) + "-----\n";
}

}  // namespace vigil::pki::test
