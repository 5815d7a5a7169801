#include "zone/serial.hpp"

#include <catch2/catch.hpp>

using shun::zone::nextSerial;
using shun::zone::serialGreater;

TEST_CASE("serial: greater as RFC 1982 3.2 defines it, without wraparound")
{
  CHECK(serialGreater(2, 1));
  CHECK_FALSE(serialGreater(1, 2));
  CHECK_FALSE(serialGreater(7, 7));
  CHECK(serialGreater(0x7fffffff, 0));
}

TEST_CASE("serial: greater across the wrap, and undefined distance 2^31 is never greater")
{
  CHECK(serialGreater(0, 0xffffffff));
  CHECK(serialGreater(5, 0xfffffff0));
  CHECK_FALSE(serialGreater(0xfffffff0, 5));
  CHECK_FALSE(serialGreater(0x80000000, 0));
  CHECK_FALSE(serialGreater(0, 0x80000000));
}

TEST_CASE("serial: next is the source serial when it is greater, else current plus one")
{
  CHECK(nextSerial(10, 20) == 20);
  CHECK(nextSerial(10, 10) == 11);
  CHECK(nextSerial(10, 3) == 11);
  CHECK(nextSerial(1700000000, 0) == 1700000001); // a $SOA serial of 0 set back never wins
}

TEST_CASE("serial: next wraps from 2^32-1 to 0 and keeps increasing in RFC 1982 terms")
{
  CHECK(nextSerial(0xffffffff, 0xffffffff) == 0);
  CHECK(serialGreater(nextSerial(0xffffffff, 3), 0xffffffff));
  CHECK(nextSerial(0xffffffff, 3) == 3);
}
