#include "sensor/capture/pcap_source.h"

#include <pcap/pcap.h>
#include <poll.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>

namespace vigil::sensor {
namespace {

constexpr std::size_t kFileBufferBytes = std::size_t{1} << 20;

// libpcap's DLT_* values (pcap/dlt.h) for the link types the decoder knows.
Result<LinkType> MapLinkType(int dlt, const std::string& name) {
  switch (dlt) {
    case DLT_EN10MB:
      return LinkType::kEthernet;
    case DLT_LINUX_SLL:
      return LinkType::kLinuxSll;
#ifdef DLT_LINUX_SLL2
    case DLT_LINUX_SLL2:
      return LinkType::kLinuxSll2;
#endif
    case DLT_RAW:
      return LinkType::kRawIp;
#ifdef DLT_IPV4
    case DLT_IPV4:
      return LinkType::kIpv4;
    case DLT_IPV6:
      return LinkType::kIpv6;
#endif
    default: {
      const char* dlt_name = pcap_datalink_val_to_name(dlt);
      return MakeError(ErrorCode::kInvalidArgument,
                       name + ": unsupported link type " + (dlt_name ? dlt_name : "unknown") +
                           " (" + std::to_string(dlt) +
                           "); the sensor reads Ethernet, Linux cooked and raw IP captures");
    }
  }
}

class PcapSource final : public PacketSource {
 public:
  PcapSource(pcap_t* handle, LinkType link, std::string name, bool live, int timeout_ms,
             std::unique_ptr<char[]> file_buffer = nullptr)
      : file_buffer_(std::move(file_buffer)),
        handle_(handle),
        link_(link),
        name_(std::move(name)),
        live_(live),
        timeout_ms_(timeout_ms),
        fd_(live ? pcap_get_selectable_fd(handle) : -1) {}
  ~PcapSource() override { pcap_close(handle_); }

  Result<Read> Next(Frame& frame) override {
    if (stopped_.load(std::memory_order_relaxed)) return Read::kEnd;
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    int rc = pcap_next_ex(handle_, &header, &data);
    if (rc == 1) {
      ++received_;
      // Nanosecond precision was asked for when opening, so tv_usec holds nanoseconds.
      frame.time_unix_nanos = static_cast<std::int64_t>(header->ts.tv_sec) * 1'000'000'000 +
                              static_cast<std::int64_t>(header->ts.tv_usec);
      frame.wire_length = header->len;
      frame.bytes = {data, header->caplen};
      return Read::kFrame;
    }
    if (rc == 0) {
      // Live captures are non-blocking: wait here, so a stop or a quiet link is noticed within
      // the timeout whatever the kernel ring's block timeout does (TPACKET_V3 may never fire
      // one while no frame arrives). EINTR (a signal) is a timeout too.
      if (fd_ >= 0) {
        pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
        ::poll(&p, 1, timeout_ms_);
      }
      return Read::kTimeout;
    }
    if (rc == PCAP_ERROR_BREAK) return Read::kEnd;
    if (rc == PCAP_ERROR && !stopped_.load()) {
      return MakeError(ErrorCode::kUnavailable, name_ + ": " + pcap_geterr(handle_));
    }
    return Read::kEnd;  // PCAP_ERROR_BREAK at the end of a file, or after Stop().
  }

  LinkType link_type() const override { return link_; }

  CaptureStats stats() const override {
    CaptureStats s;
    s.received = received_;
    if (live_) {
      pcap_stat ps{};
      if (pcap_stats(handle_, &ps) == 0) {
        s.kernel_dropped = ps.ps_drop;
        s.interface_dropped = ps.ps_ifdrop;
      }
    }
    return s;
  }

  void Stop() override {
    stopped_.store(true);
    pcap_breakloop(handle_);
  }

  std::string name() const override { return name_; }

 private:
  std::unique_ptr<char[]> file_buffer_;  // The stream's buffer (files); outlives handle_.
  pcap_t* handle_;
  LinkType link_;
  std::string name_;
  bool live_;
  int timeout_ms_;
  int fd_;
  std::uint64_t received_ = 0;
  std::atomic<bool> stopped_{false};
};

Status ApplyFilter(pcap_t* handle, std::string_view filter, const std::string& name) {
  if (filter.empty()) return OkStatus();
  bpf_program program{};
  std::string text(filter);
  if (pcap_compile(handle, &program, text.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     name + ": bpf filter \"" + text + "\": " + pcap_geterr(handle));
  }
  int rc = pcap_setfilter(handle, &program);
  pcap_freecode(&program);
  if (rc != 0) {
    return MakeError(ErrorCode::kUnavailable, name + ": bpf filter: " + pcap_geterr(handle));
  }
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<PacketSource>> OpenCaptureFile(const std::string& path,
                                                      std::string_view bpf_filter) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return MakeError(ErrorCode::kNotFound, path + ": no such file");
  }
  // Our own stream with a large buffer: libpcap reads each record with fread, and the default
  // 4 KiB buffer made one read system call per few packets. pcap_close closes the stream.
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return MakeError(ErrorCode::kUnavailable, path + ": " + std::strerror(errno));
  }
  // glibc ignores the size unless it is given the buffer; the source keeps it until pcap_close.
  auto buffer = std::make_unique<char[]>(kFileBufferBytes);
  std::setvbuf(file, buffer.get(), _IOFBF, kFileBufferBytes);
  char error[PCAP_ERRBUF_SIZE] = {};
  pcap_t* handle =
      pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, error);
  if (handle == nullptr) {
    std::fclose(file);
    return MakeError(ErrorCode::kInvalidArgument,
                     path + ": not a pcap or pcapng capture: " + error);
  }
  auto link = MapLinkType(pcap_datalink(handle), path);
  if (!link) {
    pcap_close(handle);
    return tl::unexpected(link.error());
  }
  if (auto s = ApplyFilter(handle, bpf_filter, path); !s) {
    pcap_close(handle);
    return tl::unexpected(s.error());
  }
  return std::make_unique<PcapSource>(handle, *link, path, false, 0, std::move(buffer));
}

Result<std::unique_ptr<PacketSource>> OpenInterface(const std::string& interface,
                                                    const LiveOptions& options) {
  char error[PCAP_ERRBUF_SIZE] = {};
  pcap_t* handle = pcap_create(interface.c_str(), error);
  if (handle == nullptr) {
    return MakeError(ErrorCode::kUnavailable, interface + ": " + error);
  }
  pcap_set_snaplen(handle, options.snap_length);
  pcap_set_promisc(handle, options.promiscuous ? 1 : 0);
  pcap_set_timeout(handle, options.timeout_ms);
  pcap_set_buffer_size(handle, options.buffer_bytes);
  pcap_set_tstamp_precision(handle, PCAP_TSTAMP_PRECISION_NANO);
  int rc = pcap_activate(handle);
  if (rc < 0) {
    std::string why = pcap_geterr(handle);
    pcap_close(handle);
    if (rc == PCAP_ERROR_PERM_DENIED) {
      return MakeError(ErrorCode::kPermissionDenied,
                       interface + ": " + why + " (capturing needs root or CAP_NET_RAW)");
    }
    if (rc == PCAP_ERROR_NO_SUCH_DEVICE) {
      return MakeError(ErrorCode::kNotFound, interface + ": no such interface");
    }
    return MakeError(ErrorCode::kUnavailable, interface + ": " + why);
  }
  auto link = MapLinkType(pcap_datalink(handle), interface);
  if (!link) {
    pcap_close(handle);
    return tl::unexpected(link.error());
  }
  if (auto s = ApplyFilter(handle, options.bpf_filter, interface); !s) {
    pcap_close(handle);
    return tl::unexpected(s.error());
  }
  if (pcap_setnonblock(handle, 1, error) != 0) {
    pcap_close(handle);
    return MakeError(ErrorCode::kUnavailable, interface + ": " + error);
  }
  return std::make_unique<PcapSource>(handle, *link, interface, true, options.timeout_ms);
}

}  // namespace vigil::sensor
