#include "shun/store/value.hpp"

#include <catch2/catch.hpp>

using namespace shun::store;

namespace {

std::string answer(const ValueTable& table, ValueId id, std::string_view key)
{
  const CompiledValue& compiled = table.compiled(id);
  if (!compiled.txtHasKey)
    return compiled.txt;
  char buffer[254];
  return std::string(buffer, expandTemplate(compiled.txt, key, buffer));
}

Value txt(std::string text)
{
  Value value;
  value.hasTxt = true;
  value.txt = std::move(text);
  return value;
}

} // namespace

TEST_CASE("value table: equal values share one id and the A record is precompiled")
{
  ValueTable table;
  Value a;
  a.a = 0x7f000003;
  ValueId id = table.intern(a);
  CHECK(table.intern(a) == id);
  CHECK(table.intern(txt("x")) != id);
  table.finalize({}, "", false);
  const auto& compiled = table.compiled(id);
  CHECK(compiled.aRdata[0] == 127);
  CHECK(compiled.aRdata[3] == 3);
  CHECK_FALSE(compiled.hasTxt);
}

TEST_CASE("value table: the manpage's variable examples expand as rbldnsd does")
{
  ValueTable table;
  ValueId spammer = table.intern(txt("$1/spammer/$ $2"));
  ValueId dollars = table.intern(txt("This spammer wants some $$$$.  $1/$"));
  ValueId undefined = table.intern(txt("see $7"));
  std::vector<std::string> vars(10);
  vars[1] = "See http://www.example.com/bl";
  vars[2] = "for details";
  table.finalize(vars, "", false);
  CHECK(answer(table, spammer, "127.0.0.2") == "See http://www.example.com/bl/spammer/127.0.0.2 for details");
  CHECK(answer(table, dollars, "127.0.0.4")
      == "This spammer wants some $$.  See http://www.example.com/bl/127.0.0.4");
  CHECK(answer(table, undefined, "1.2.3.4") == "see $7");
  CHECK_FALSE(table.compiled(undefined).txtHasKey);
}

TEST_CASE("value table: the base template wraps entry text verbatim")
{
  ValueTable table;
  ValueId withText = table.intern(txt("r123"));
  ValueId withoutText = table.intern(Value {});
  ValueId bypass = table.intern(txt("=See other blocklists for details about $"));
  ValueId dollarInText = table.intern(txt("cost $5"));
  table.finalize({}, "See http://www.example.com/bl?$= ($) for details", true);
  CHECK(answer(table, withText, "127.0.0.2") == "See http://www.example.com/bl?r123 (127.0.0.2) for details");
  CHECK(answer(table, withoutText, "127.0.0.3")
      == "See http://www.example.com/bl?127.0.0.3 (127.0.0.3) for details");
  CHECK(answer(table, bypass, "127.0.0.4") == "See other blocklists for details about 127.0.0.4");
  CHECK(answer(table, dollarInText, "1.1.1.1")
      == "See http://www.example.com/bl?cost $5 (1.1.1.1) for details");
}

TEST_CASE("value table: expanded TXT is capped at 254 bytes")
{
  ValueTable table;
  ValueId id = table.intern(txt(std::string(250, 'x') + " $"));
  table.finalize({}, "", false);
  CHECK(answer(table, id, "255.255.255.255").size() == 254);
}

TEST_CASE("value sets: equal sets share one id")
{
  ValueSets sets;
  std::vector<ValueId> one { 1, 2 }, other { 2, 1 };
  CHECK(sets.intern(one) == sets.intern(one));
  CHECK(sets.intern(one) != sets.intern(other));
  CHECK(sets.set(sets.intern(other))[0] == 2);
}

TEST_CASE("value sets: a set of one value is found by its value, apart from longer sets")
{
  ValueSets sets;
  std::vector<ValueId> five { 5 }, six { 6 }, pair { 5, 6 }, high { 1000 };
  auto id = sets.intern(five);
  CHECK(sets.intern(six) != id);
  CHECK(sets.intern(pair) != id);
  CHECK(sets.intern(high) == sets.intern(high)); // past the table's size: it grows
  CHECK(sets.intern(five) == id);
  REQUIRE(sets.set(id).size() == 1);
  CHECK(sets.set(id)[0] == 5);
  CHECK(sets.set(sets.intern(pair)).size() == 2);
  CHECK(sets.size() == 4);
}

TEST_CASE("value table: a value with a listing is an entry's own, equal ones without share an id")
{
  ValueTable table;
  Value listed;
  listed.listing = 3;
  Value other = listed;
  other.listing = 4;
  auto first = table.intern(listed);
  CHECK(table.intern(other) != first);
  CHECK(table.value(first).listing == 3);
  CHECK(table.intern(Value {}) == table.intern(Value {}));
  CHECK(table.size() == 3);
}
