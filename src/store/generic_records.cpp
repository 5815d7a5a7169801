#include "name_key.hpp"
#include "shun/store/generic.hpp"

#include <algorithm>

namespace shun::store {

GenericRecords::GenericRecords(std::vector<GenericRecord> records)
{
  char buffer[detail::kMaxNameKey];
  std::vector<std::pair<std::string, std::uint32_t>> keyed;
  keyed.reserve(records.size());
  for (std::uint32_t i = 0; i < records.size(); ++i) {
    std::size_t length = detail::reversedKey(records[i].name, buffer);
    if (length != detail::kBadName)
      keyed.emplace_back(std::string(buffer, length), i);
  }
  std::stable_sort(
      keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  d_records.reserve(keyed.size());
  d_keys.reserve(keyed.size());
  for (auto& [key, index] : keyed) {
    d_records.push_back(std::move(records[index]));
    d_keys.push_back(std::move(key));
  }
}

std::span<const GenericRecord> GenericRecords::find(std::string_view wireName) const noexcept
{
  char buffer[detail::kMaxNameKey];
  std::size_t length = detail::reversedKey(wireName, buffer);
  if (length == detail::kBadName)
    return {};
  std::string_view key(buffer, length);
  auto range = std::equal_range(
      d_keys.begin(), d_keys.end(), key, [](std::string_view a, std::string_view b) { return a < b; });
  auto first = static_cast<std::size_t>(range.first - d_keys.begin());
  return { d_records.data() + first, static_cast<std::size_t>(range.second - range.first) };
}

bool GenericRecords::hasDescendant(std::string_view wireName) const noexcept
{
  char buffer[detail::kMaxNameKey];
  std::size_t length = detail::reversedKey(wireName, buffer);
  if (length == detail::kBadName)
    return false;
  std::string_view key(buffer, length);
  auto it = std::upper_bound(
      d_keys.begin(), d_keys.end(), key, [](std::string_view a, std::string_view b) { return a < b; });
  return it != d_keys.end() && std::string_view(*it).substr(0, length) == key;
}

} // namespace shun::store
