#pragma once

// ByteReader: bounds-checked reading of network-order fields from a span, for every parser of
// packet bytes. A read past the end fails (returns false or an empty span) and leaves the reader
// at the end with ok() false, so a parser may read a whole header and check ok() once.
// Never reads outside the span it was given; never allocates.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace vigil::sensor {

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  std::size_t remaining() const { return bytes_.size() - pos_; }
  std::size_t position() const { return pos_; }
  bool ok() const { return ok_; }
  bool empty() const { return remaining() == 0; }
  std::span<const std::uint8_t> rest() const { return bytes_.subspan(pos_); }

  std::uint8_t U8() {
    if (!Need(1)) return 0;
    return bytes_[pos_++];
  }
  std::uint16_t U16() {  // Big-endian (network order).
    if (!Need(2)) return 0;
    auto v = static_cast<std::uint16_t>((bytes_[pos_] << 8) | bytes_[pos_ + 1]);
    pos_ += 2;
    return v;
  }
  std::uint32_t U24() {
    if (!Need(3)) return 0;
    std::uint32_t v = (std::uint32_t{bytes_[pos_]} << 16) | (std::uint32_t{bytes_[pos_ + 1]} << 8) |
                      bytes_[pos_ + 2];
    pos_ += 3;
    return v;
  }
  std::uint32_t U32() {
    if (!Need(4)) return 0;
    std::uint32_t v = (std::uint32_t{bytes_[pos_]} << 24) |
                      (std::uint32_t{bytes_[pos_ + 1]} << 16) |
                      (std::uint32_t{bytes_[pos_ + 2]} << 8) | bytes_[pos_ + 3];
    pos_ += 4;
    return v;
  }
  std::uint16_t U16Le() {  // Little-endian (DICOM's default, SMB).
    if (!Need(2)) return 0;
    auto v = static_cast<std::uint16_t>(bytes_[pos_] | (bytes_[pos_ + 1] << 8));
    pos_ += 2;
    return v;
  }
  std::uint32_t U32Le() {
    if (!Need(4)) return 0;
    std::uint32_t v = bytes_[pos_] | (std::uint32_t{bytes_[pos_ + 1]} << 8) |
                      (std::uint32_t{bytes_[pos_ + 2]} << 16) |
                      (std::uint32_t{bytes_[pos_ + 3]} << 24);
    pos_ += 4;
    return v;
  }
  // The next n bytes; empty (and ok() false) if fewer remain.
  std::span<const std::uint8_t> Bytes(std::size_t n) {
    if (!Need(n)) return {};
    auto s = bytes_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  std::string_view Text(std::size_t n) {
    auto s = Bytes(n);
    return {reinterpret_cast<const char*>(s.data()), s.size()};
  }
  bool Skip(std::size_t n) { return !Bytes(n).empty() || n == 0; }

 private:
  bool Need(std::size_t n) {
    if (!ok_ || n > remaining()) {
      ok_ = false;
      pos_ = bytes_.size();
      return false;
    }
    return true;
  }

  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

// For tests and text protocols.
inline std::string_view AsString(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

inline std::string_view AsText(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace vigil::sensor
