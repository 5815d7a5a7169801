#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>
#include <sys/mman.h>

namespace shun::store::detail {

/// Allocator for the large lookup arrays: blocks of 2 MiB and more are aligned to 2 MiB and marked
/// MADV_HUGEPAGE, so random lookups over millions of entries do not miss the TLB on every step.
template <typename T> struct HugePageAllocator {
  using value_type = T;
  static constexpr std::size_t kHugePage = std::size_t { 2 } << 20;

  HugePageAllocator() = default;
  template <typename U> HugePageAllocator(const HugePageAllocator<U>&) noexcept { }

  T* allocate(std::size_t count)
  {
    std::size_t bytes = count * sizeof(T);
    if (bytes < kHugePage) {
      void* small = std::malloc(bytes);
      if (!small)
        throw std::bad_alloc();
      return static_cast<T*>(small);
    }
    bytes = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* memory = std::aligned_alloc(kHugePage, bytes);
    if (!memory)
      throw std::bad_alloc();
    ::madvise(memory, bytes, MADV_HUGEPAGE); // advice only: failure just means small pages
    return static_cast<T*>(memory);
  }
  void deallocate(T* pointer, std::size_t) noexcept { std::free(pointer); }

  template <typename U> bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
};

} // namespace shun::store::detail
