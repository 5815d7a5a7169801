#include "shun/store/packed_payloads.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

using shun::store::kNoPayload;
using shun::store::detail::PackedPayloads;

namespace {

std::vector<std::uint32_t> contents(const PackedPayloads& payloads)
{
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < payloads.size(); ++i)
    out.push_back(payloads[i]);
  return out;
}

} // namespace

TEST_CASE("packed payloads: small ids take one byte each, an exclusion reads back as kNoPayload")
{
  PackedPayloads payloads;
  payloads.reserve(4);
  for (std::uint32_t id : { 0u, 254u, kNoPayload, 7u })
    payloads.pushBack(id);
  CHECK(contents(payloads) == std::vector<std::uint32_t> { 0, 254, kNoPayload, 7 });
  CHECK(payloads.capacityBytes() == 4);
}

TEST_CASE("packed payloads: an id that does not fit widens the array and keeps what it held")
{
  PackedPayloads payloads;
  payloads.reserve(5);
  payloads.pushBack(3);
  payloads.pushBack(kNoPayload);
  payloads.pushBack(255); // the one-byte form of kNoPayload: needs two bytes
  CHECK(contents(payloads) == std::vector<std::uint32_t> { 3, kNoPayload, 255 });
  payloads.pushBack(65535); // the two-byte form of kNoPayload: needs four
  payloads.pushBack(kNoPayload - 1);
  CHECK(contents(payloads) == std::vector<std::uint32_t> { 3, kNoPayload, 255, 65535, kNoPayload - 1 });
  CHECK(payloads.capacityBytes() == 20);
}

TEST_CASE("packed payloads: one id past a byte goes straight to two bytes, not four")
{
  PackedPayloads payloads;
  for (std::uint32_t id = 0; id < 1000; ++id)
    payloads.pushBack(id);
  payloads.shrinkToFit();
  CHECK(payloads.size() == 1000);
  CHECK(payloads.capacityBytes() == 2000);
  CHECK(payloads[999] == 999);
}
