#pragma once

// FlowIndex: the flow table's hash index from FlowKey to flow, open addressing with linear
// probing and backward-shift deletion (no tombstones). A lookup touches one slot array line
// and the flow itself; std::unordered_map needed three dependent cache misses (bucket, the
// node before, the node), which dominated the sensor's profile. Holds pointers; the flow table
// owns the flows. Grows to keep the load under one half. Not thread-safe.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sensor/flow/flow_key.h"

namespace vigil::sensor {

template <typename Flow>  // Any type with a `FlowKey key` member.
class FlowIndex {
 public:
  static std::uint64_t Hash(const FlowKey& key) { return FlowKeyHash{}(key) | 1; }

  Flow* Find(const FlowKey& key, std::uint64_t hash) const {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.hash == 0) return nullptr;
      if (s.hash == hash && s.flow->key == key) return s.flow;
    }
  }

  // `flow` must not be in the index yet.
  void Insert(Flow* flow, std::uint64_t hash) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    Place(flow, hash);
    ++size_;
  }

  void Erase(const FlowKey& key, std::uint64_t hash) {
    if (slots_.empty()) return;
    std::size_t i = hash & mask_;
    while (true) {
      const Slot& s = slots_[i];
      if (s.hash == 0) return;
      if (s.hash == hash && s.flow->key == key) break;
      i = (i + 1) & mask_;
    }
    // Backward shift: move later members of the probe run into the hole when their home slot
    // allows it, so lookups never stop early.
    std::size_t hole = i;
    for (std::size_t j = (hole + 1) & mask_; slots_[j].hash != 0; j = (j + 1) & mask_) {
      std::size_t home = slots_[j].hash & mask_;
      bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        slots_[hole] = slots_[j];
        hole = j;
      }
    }
    slots_[hole] = Slot{};
    --size_;
  }

  // Every flow in the index, in slot order (to drain it: erase after collecting).
  std::vector<Flow*> All() const {
    std::vector<Flow*> out;
    out.reserve(size_);
    for (const Slot& s : slots_) {
      if (s.hash != 0) out.push_back(s.flow);
    }
    return out;
  }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;  // 0: empty (Hash() never returns 0).
    Flow* flow = nullptr;
  };

  void Place(Flow* flow, std::uint64_t hash) {
    std::size_t i = hash & mask_;
    while (slots_[i].hash != 0) i = (i + 1) & mask_;
    slots_[i] = Slot{hash, flow};
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    std::size_t capacity = old.empty() ? 1024 : old.size() * 2;
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    for (const Slot& s : old) {
      if (s.hash != 0) Place(s.flow, s.hash);
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace vigil::sensor
