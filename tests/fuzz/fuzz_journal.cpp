// libFuzzer target for listing::decodeJournal: any bytes. Checks what writers and shund rely on: the
// committed prefix decodes alone to the same records with nothing torn or corrupt, a torn tail and a
// corrupt block exclude each other, and the records decoded encode to blocks that decode to them again.
#include "shun/listing/journal.hpp"

#include <cstdlib>

namespace {

using namespace shun::listing;

void check(bool condition)
{
  if (!condition)
    std::abort();
}

bool sameKeys(const std::vector<JournalRecord>& a, const std::vector<JournalRecord>& b)
{
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].key != b[i].key || a[i].kind != b[i].kind || a[i].entryLine != b[i].entryLine)
      return false;
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  std::string_view text(reinterpret_cast<const char*>(data), size);
  JournalContents contents = decodeJournal(text);
  check(contents.committedBytes <= size);
  check(!(contents.tornTail && contents.corrupt()));
  check(contents.corrupt() || contents.tornTail == (contents.committedBytes < size));
  JournalContents prefix = decodeJournal(text.substr(0, contents.committedBytes));
  check(!prefix.corrupt() && !prefix.tornTail && prefix.committedBytes == contents.committedBytes);
  check(sameKeys(prefix.records, contents.records));
  JournalContents again = decodeJournal(encodeJournal(contents.records, 3));
  check(!again.corrupt() && !again.tornTail);
  check(sameKeys(again.records, contents.records));
  return 0;
}
