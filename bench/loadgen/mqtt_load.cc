#include "mqtt_load.h"

#include <mosquitto.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "payload.h"

namespace loadgen {
namespace {

using Clock = std::chrono::steady_clock;

class MqttLoad;

struct Client {
  MqttLoad* load = nullptr;
  int index = 0;
  mosquitto* handle = nullptr;
  int fd = -1;
  std::uint32_t interest = 0;
  std::string topic;
  std::int64_t next_ms = 0;
  bool done = false;
};

class MqttLoad {
 public:
  explicit MqttLoad(const Options& o) : o_(o) {
    mosquitto_lib_init();
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
  }
  ~MqttLoad() {
    for (Client& c : clients_) {
      if (c.handle == nullptr) continue;
      mosquitto_disconnect(c.handle);
      mosquitto_destroy(c.handle);
    }
    close(epoll_);
    mosquitto_lib_cleanup();
  }

  LoadResult Run() {
    const auto start = Clock::now();
    deadline_ = start + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(o_.seconds));
    clients_.resize(static_cast<std::size_t>(o_.connections));
    active_ = o_.connections;
    const std::int64_t base_ms = NowMillis();
    for (int i = 0; i < o_.connections; ++i) {
      Client& c = clients_[static_cast<std::size_t>(i)];
      c.load = this;
      c.index = i;
      c.topic = o_.topic + "/" + std::to_string(i);
      c.next_ms = base_ms + static_cast<std::int64_t>(i) * 1'000'000'000;
      Connect(c);
    }
    const auto drain_limit = deadline_ + std::chrono::seconds(10);
    std::vector<epoll_event> events(256);
    while (active_ > 0 && Clock::now() < drain_limit) {
      const int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 100);
      for (std::size_t i = 0; i < static_cast<std::size_t>(std::max(n, 0)); ++i) {
        Client& c = *static_cast<Client*>(events[i].data.ptr);
        if (c.done) continue;
        int rc = MOSQ_ERR_SUCCESS;
        if ((events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0) {
          rc = mosquitto_loop_read(c.handle, 1);
        }
        if (rc == MOSQ_ERR_SUCCESS && !c.done && (events[i].events & EPOLLOUT) != 0) {
          rc = mosquitto_loop_write(c.handle, 1);
        }
        if (rc != MOSQ_ERR_SUCCESS && !c.done) {
          Fail(c, std::string("connection: ") + mosquitto_strerror(rc));
        }
        if (!c.done) Watch(c);
      }
    }
    result_.seconds = std::chrono::duration<double>(last_answer_ - start).count();
    if (active_ > 0) result_.Error("publishes still unacknowledged 10 s after the run ended");
    return result_;
  }

 private:
  static void OnConnect(mosquitto*, void* data, int rc) {
    Client& c = *static_cast<Client*>(data);
    if (rc != 0) return c.load->Fail(c, std::string("connack: ") + mosquitto_connack_string(rc));
    c.load->Publish(c);
  }

  static void OnPublish(mosquitto*, void* data, int) {
    Client& c = *static_cast<Client*>(data);
    MqttLoad& load = *c.load;
    ++load.result_.ok;
    load.last_answer_ = Clock::now();
    if (load.last_answer_ >= load.deadline_) return load.Stop(c);
    load.Publish(c);
  }

  static void OnDisconnect(mosquitto*, void* data, int rc) {
    Client& c = *static_cast<Client*>(data);
    if (!c.done) c.load->Fail(c, "disconnected by the broker (" + std::to_string(rc) + ")");
  }

  void Connect(Client& c) {
    const std::string id = "loadgen-" + std::to_string(c.index);
    const Identity& identity =
        o_.identities[static_cast<std::size_t>(c.index) % o_.identities.size()];
    c.handle = mosquitto_new(id.c_str(), true, &c);
    mosquitto_connect_callback_set(c.handle, &OnConnect);
    mosquitto_publish_callback_set(c.handle, &OnPublish);
    mosquitto_disconnect_callback_set(c.handle, &OnDisconnect);
    // One small packet in flight at a time: Nagle's algorithm would hold it for the peer's
    // delayed ACK (the HTTPS side sets TCP_NODELAY too).
    mosquitto_int_option(c.handle, MOSQ_OPT_TCP_NODELAY, 1);
    int rc = mosquitto_tls_set(c.handle, o_.ca_file.c_str(), nullptr, identity.certificate.c_str(),
                               identity.key.c_str(), nullptr);
    if (rc == MOSQ_ERR_SUCCESS) rc = mosquitto_connect(c.handle, o_.host.c_str(), o_.port, 60);
    if (rc != MOSQ_ERR_SUCCESS) {
      return Fail(c, std::string("connect: ") + mosquitto_strerror(rc));
    }
    c.fd = mosquitto_socket(c.handle);
    Watch(c);
  }

  void Publish(Client& c) {
    const std::string payload =
        TelemetryBody(c.next_ms, 1, static_cast<std::size_t>(o_.body_bytes));
    ++c.next_ms;
    const int rc = mosquitto_publish(c.handle, nullptr, c.topic.c_str(),
                                     static_cast<int>(payload.size()), payload.data(), 1, false);
    if (rc != MOSQ_ERR_SUCCESS) Fail(c, std::string("publish: ") + mosquitto_strerror(rc));
  }

  void Watch(Client& c) {
    if (c.fd < 0) return;
    const std::uint32_t events = EPOLLIN | (mosquitto_want_write(c.handle) ? EPOLLOUT : 0u);
    if (events == c.interest) return;
    epoll_event ev{.events = events, .data = {.ptr = &c}};
    epoll_ctl(epoll_, c.interest == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, c.fd, &ev);
    c.interest = events;
  }

  void Fail(Client& c, const std::string& what) {
    result_.Error(what);
    Stop(c);
  }

  // The client sends nothing more; its socket leaves the epoll set (it closes at the end).
  void Stop(Client& c) {
    if (c.done) return;
    c.done = true;
    --active_;
    if (c.fd >= 0 && c.interest != 0) epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
    c.interest = 0;
  }

  const Options& o_;
  std::vector<Client> clients_;
  int epoll_ = -1;
  int active_ = 0;
  Clock::time_point deadline_;
  Clock::time_point last_answer_ = Clock::now();
  LoadResult result_;
};

}  // namespace

LoadResult RunMqtt(const Options& options) { return MqttLoad(options).Run(); }

}  // namespace loadgen
