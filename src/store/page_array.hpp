#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <span>
#include <sys/mman.h>
#include <type_traits>
#include <utility>

namespace shun::store::detail {

/// A growable array of trivially copyable items in an anonymous mapping of its own, for builders that
/// collect millions of entries. Growing remaps the pages instead of copying them (no doubled peak), and
/// pages already consumed can be handed back to the kernel while the array is read front to back.
/// One thread; throws std::bad_alloc when the kernel refuses memory.
template <typename T> class PageArray {
  static_assert(std::is_trivially_copyable_v<T>);

public:
  PageArray() = default;
  PageArray(PageArray&& other) noexcept
      : d_data(std::exchange(other.d_data, nullptr))
      , d_size(std::exchange(other.d_size, 0))
      , d_capacity(std::exchange(other.d_capacity, 0))
      , d_bytes(std::exchange(other.d_bytes, 0))
      , d_released(std::exchange(other.d_released, 0))
  {
  }
  PageArray& operator=(PageArray&& other) noexcept
  {
    std::swap(d_data, other.d_data);
    std::swap(d_size, other.d_size);
    std::swap(d_capacity, other.d_capacity);
    std::swap(d_bytes, other.d_bytes);
    std::swap(d_released, other.d_released);
    return *this;
  }
  ~PageArray() { clear(); }

  void pushBack(const T& item)
  {
    if (d_size == d_capacity)
      grow();
    d_data[d_size++] = item;
  }
  /// Appends count items.
  void append(const T* items, std::size_t count)
  {
    while (d_capacity - d_size < count)
      grow();
    std::memcpy(static_cast<void*>(d_data + d_size), items, count * sizeof(T));
    d_size += count;
  }
  /// Makes the array count items long, the items past the old size unset until written (untouched
  /// pages cost no memory until then).
  void resizeForOverwrite(std::size_t count)
  {
    while (d_capacity < count)
      grow();
    d_size = count;
  }
  T& operator[](std::size_t index) { return d_data[index]; }
  const T& operator[](std::size_t index) const { return d_data[index]; }
  T& back() { return d_data[d_size - 1]; }
  T* begin() { return d_data; }
  T* end() { return d_data + d_size; }
  const T* begin() const { return d_data; }
  const T* end() const { return d_data + d_size; }
  std::size_t size() const { return d_size; }
  bool empty() const { return d_size == 0; }
  std::span<T> items() { return { d_data, d_size }; }

  /// Removes the items for which drop(item) is true, keeping the order of the others.
  template <typename Drop> void eraseIf(Drop drop)
  {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < d_size; ++i)
      if (!drop(d_data[i]))
        d_data[kept++] = d_data[i];
    d_size = kept;
  }

  /// Gives the pages wholly before item index back to the kernel: those items must not be read again.
  void releaseBefore(std::size_t index)
  {
    std::size_t bytes = index * sizeof(T) / kPage * kPage;
    if (bytes <= d_released)
      return;
    ::madvise(reinterpret_cast<char*>(d_data) + d_released, bytes - d_released, MADV_DONTNEED);
    d_released = bytes;
  }

  /// Frees everything.
  void clear()
  {
    if (d_data)
      ::munmap(d_data, d_bytes);
    d_data = nullptr;
    d_size = d_capacity = d_bytes = d_released = 0;
  }

private:
  static constexpr std::size_t kPage = 4096;
  static constexpr std::size_t kFirstBytes = std::size_t { 64 } << 10;

  // Doubles the mapping; untouched pages cost no memory, and mremap moves pages rather than copying.
  void grow()
  {
    std::size_t newBytes = d_data ? d_bytes * 2 : kFirstBytes;
    void* memory = d_data
        ? ::mremap(d_data, d_bytes, newBytes, MREMAP_MAYMOVE)
        : ::mmap(nullptr, newBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
      throw std::bad_alloc();
    d_data = static_cast<T*>(memory);
    d_bytes = newBytes;
    d_capacity = newBytes / sizeof(T);
  }

  T* d_data = nullptr;
  std::size_t d_size = 0;
  std::size_t d_capacity = 0;
  std::size_t d_bytes = 0; ///< size of the mapping
  std::size_t d_released = 0; ///< bytes at the front already given back
};

} // namespace shun::store::detail
