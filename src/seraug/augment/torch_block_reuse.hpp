// Large LibTorch CPU tensors from blocks kept for reuse while GANs train. Include only
// from code compiled against torch (the plug-in and its tests).
//
// Why: a training step allocates the same large tensors every time (the weight gradients
// of five generators on ComParE's 6,373 inputs: 5 x 6,373 x 800 floats, 102 MB each, and
// activations of the same order). glibc serves blocks above 32 MB from fresh mmap'd pages
// and returns them to the kernel when freed, so each step faults every page in again and
// the kernel zeroes it: clear_page and the page faults took ~15 % of a ComParE GAN fold.
// Kept blocks are handed out again for requests of the same size or up to a quarter
// smaller. Contents are never read before the tensor's owner writes them (torch::empty's
// contract), so the numbers do not change.
#pragma once

#include <c10/core/CPUAllocator.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <new>
#include <unordered_map>

namespace seraug {

class TorchBlockReuse {
 public:
  // Installs the reusing allocator for the process while at least one is alive.
  TorchBlockReuse() {
    Pool& p = pool();
    std::lock_guard lock(p.mutex);
    if (p.users++ == 0) {
      p.fallback = c10::GetCPUAllocator();
      c10::SetCPUAllocator(&p.allocator, 0);  // priority 0: the default CPU allocator's
    }
  }
  // The last one restores the allocator before it and frees the idle blocks; blocks still
  // held (a trained network's weights) are freed normally when their tensors go.
  ~TorchBlockReuse() {
    Pool& p = pool();
    std::lock_guard lock(p.mutex);
    if (--p.users > 0) return;
    c10::SetCPUAllocator(p.fallback, 0);
    for (const auto& [bytes, data] : p.idle) release(p, data);
    p.idle.clear();
  }
  TorchBlockReuse(const TorchBlockReuse&) = delete;
  TorchBlockReuse& operator=(const TorchBlockReuse&) = delete;

 private:
  // Smaller requests go to the allocator before: glibc reuses those without page faults.
  static constexpr std::size_t kMinBytes = std::size_t{1} << 20;
  static constexpr std::size_t kAlignment = 64;  // as c10's default CPU allocator

  struct Allocator final : c10::Allocator {
    c10::DataPtr allocate(std::size_t n) const override {
      Pool& p = pool();
      if (n < kMinBytes) return p.fallback.load()->allocate(n);
      void* data = take_idle(n);
      if (!data) {
        if (posix_memalign(&data, kAlignment, n) != 0) throw std::bad_alloc();
        std::lock_guard lock(p.mutex);
        p.sizes.emplace(data, n);
      }
      return {data, data, &give_back, c10::Device(c10::DeviceType::CPU)};
    }
    // The context is the data pointer, so raw_allocate/raw_deallocate work too.
    c10::DeleterFnPtr raw_deleter() const override { return &give_back; }
  };

  struct Pool {
    std::mutex mutex;
    int users = 0;
    std::atomic<c10::Allocator*> fallback{nullptr};  // read without the mutex by allocate
    Allocator allocator;
    std::unordered_map<void*, std::size_t> sizes;  // every block made here and not freed
    std::multimap<std::size_t, void*> idle;        // blocks free for reuse, by size
  };

  // Never destroyed: tensors made here may be freed during static destruction.
  static Pool& pool() {
    static Pool* p = new Pool;
    return *p;
  }

  // The smallest idle block of at least n bytes and at most a third more.
  static void* take_idle(std::size_t n) {
    Pool& p = pool();
    std::lock_guard lock(p.mutex);
    const auto it = p.idle.lower_bound(n);
    if (it == p.idle.end() || it->first > n + n / 3) return nullptr;
    void* data = it->second;
    p.idle.erase(it);
    return data;
  }

  static void give_back(void* data) {
    Pool& p = pool();
    std::lock_guard lock(p.mutex);
    if (p.users > 0) p.idle.emplace(p.sizes.at(data), data);
    else release(p, data);
  }

  // Frees a block; the caller holds the pool's mutex.
  static void release(Pool& p, void* data) {
    p.sizes.erase(data);
    std::free(data);
  }
};

}  // namespace seraug
