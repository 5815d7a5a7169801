#include "store/page_array.hpp"

#include <catch2/catch.hpp>
#include <cstdint>

using shun::store::detail::PageArray;

TEST_CASE("page array: items survive growing over many pages")
{
  PageArray<std::uint64_t> items;
  for (std::uint64_t i = 0; i < 300000; ++i)
    items.pushBack(i * 3);
  REQUIRE(items.size() == 300000);
  bool intact = true;
  for (std::uint64_t i = 0; i < items.size(); ++i)
    intact = intact && items[i] == i * 3;
  CHECK(intact);
}

TEST_CASE("page array: eraseIf keeps the order of the others")
{
  PageArray<std::uint32_t> items;
  for (std::uint32_t i = 0; i < 10; ++i)
    items.pushBack(i);
  items.eraseIf([](std::uint32_t item) { return item % 3 == 0; });
  CHECK(std::vector<std::uint32_t>(items.begin(), items.end())
      == std::vector<std::uint32_t> { 1, 2, 4, 5, 7, 8 });
}

TEST_CASE("page array: released pages leave the items after them readable")
{
  PageArray<std::uint64_t> items;
  for (std::uint64_t i = 0; i < 100000; ++i)
    items.pushBack(i);
  items.releaseBefore(50001);
  items.releaseBefore(20000); // going back is a no-op
  bool intact = true;
  for (std::uint64_t i = 50001; i < items.size(); ++i)
    intact = intact && items[i] == i;
  CHECK(intact);
}

TEST_CASE("page array: items of a size that does not divide a page, moved and cleared")
{
  struct Odd {
    std::uint32_t a, b, c, d, e;
  };
  PageArray<Odd> items;
  for (std::uint32_t i = 0; i < 20000; ++i)
    items.pushBack({ i, i + 1, i + 2, i + 3, i + 4 });
  PageArray<Odd> moved(std::move(items));
  CHECK(items.empty());
  REQUIRE(moved.size() == 20000);
  CHECK(moved[19999].e == 20003);
  moved.clear();
  CHECK(moved.empty());
  moved.pushBack({ 1, 2, 3, 4, 5 });
  CHECK(moved[0].c == 3);
}
