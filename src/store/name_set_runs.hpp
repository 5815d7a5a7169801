#pragma once

#include "name_set_format.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

// Reading NameSetBuilder's sorted runs back in key order while they are merged into a NameSet.
namespace shun::store::detail {

/// A run's reader gives its pages back to the kernel every this many bytes while the runs are merged.
inline constexpr std::size_t kReleaseEvery = std::size_t { 16 } << 10;

/// How far ahead of its record a run's reader asks for the run's bytes.
inline constexpr std::size_t kReadAhead = 256;

/// Reads a run front to back, giving its pages back as it goes.
class RunReader {
public:
  RunReader(PageArray<char>& bytes, std::size_t count, std::size_t order)
      : d_bytes(&bytes)
      , d_left(count)
      , d_order(order)
  {
  }
  bool next()
  {
    if (d_left == 0)
      return false;
    --d_left;
    const char* in = d_bytes->begin() + d_position;
    // The merge reads dozens of runs in turn, too many streams for the hardware prefetcher to follow.
    __builtin_prefetch(in + kReadAhead);
    KeyHead head = getKeyHead(in);
    copyShort(d_key + head.shared, in, head.suffix);
    in += head.suffix;
    d_keyLength = blockKeyLength(head);
    if (d_keyLength > 0)
      d_key[d_keyLength - 1] = '\0';
    if (head.shared < 8) // else the first 8 bytes are the previous key's
      d_prefix = keyPrefix(key());
    flags = static_cast<std::uint8_t>(*in++);
    if (flags & kValueFollows)
      d_value = getVarint(in);
    flags &= static_cast<std::uint8_t>(~kValueFollows);
    value = d_value;
    d_position = static_cast<std::size_t>(in - d_bytes->begin());
    if (d_position - d_released >= kReleaseEvery) {
      d_bytes->releaseBefore(d_position);
      d_released = d_position;
    }
    return true;
  }
  std::string_view key() const { return { d_key, d_keyLength }; }
  /// The key's first 8 bytes as a big-endian number (keyPrefix).
  std::uint64_t prefix() const { return d_prefix; }
  /// Heap order: by key, then by run (earlier runs hold earlier lines).
  bool after(const RunReader& other) const
  {
    if (d_prefix != other.d_prefix)
      return d_prefix > other.d_prefix;
    int order = key().compare(other.key());
    return order != 0 ? order > 0 : d_order > other.d_order;
  }
  std::uint8_t flags = 0;
  ValueId value = 0;

private:
  PageArray<char>* d_bytes;
  std::size_t d_left;
  std::size_t d_order;
  std::size_t d_position = 0;
  std::size_t d_released = 0;
  ValueId d_value = 0;
  std::uint64_t d_prefix = 0;
  std::size_t d_keyLength = 0;
  char d_key[kMaxNameKey];
};

/// The runs' readers in key order, as a tree of losers: each node holds the reader that lost the match
/// between its two subtrees' winners, so advancing the front reader replays one match a level (a heap's
/// sift compares twice a level).
class RunTournament {
public:
  explicit RunTournament(std::vector<RunReader>& readers)
      : d_readers(readers)
      , d_live(readers.size())
      , d_prefix(readers.size())
      , d_tree(readers.size())
  {
    for (std::size_t i = 0; i < readers.size(); ++i)
      refresh(i, readers[i].next());
    if (!readers.empty())
      d_tree[0] = play(1);
  }
  /// The reader with the least record, or nullptr when every run is read.
  RunReader* front() const
  {
    return d_readers.empty() || !d_live[d_tree[0]] ? nullptr : &d_readers[d_tree[0]];
  }
  /// Moves the front reader to its next record and finds the new front.
  void advance()
  {
    std::size_t winner = d_tree[0];
    refresh(winner, d_readers[winner].next());
    std::uint64_t prefix = d_prefix[winner];
    for (std::size_t node = (winner + d_readers.size()) / 2; node > 0; node /= 2) {
      // Most matches are decided by the prefixes, read from one small array.
      std::size_t other = d_tree[node];
      std::uint64_t otherPrefix = d_prefix[other];
      if (otherPrefix < prefix || (otherPrefix == prefix && beats(other, winner))) {
        d_tree[node] = winner;
        winner = other;
        prefix = otherPrefix;
      }
    }
    d_tree[0] = winner;
  }

private:
  // Leaves are the nodes [size, 2 size): node size + i is reader i.
  std::size_t play(std::size_t node)
  {
    if (node >= d_readers.size())
      return node - d_readers.size();
    std::size_t left = play(2 * node), right = play(2 * node + 1);
    bool leftWins = beats(left, right);
    d_tree[node] = leftWins ? right : left;
    return leftWins ? left : right;
  }
  // A read-out reader's prefix is the greatest: key bytes are never 0xff, and beats settles a tie.
  void refresh(std::size_t reader, bool live)
  {
    d_live[reader] = live;
    d_prefix[reader] = live ? d_readers[reader].prefix() : ~std::uint64_t { 0 };
  }
  bool beats(std::size_t a, std::size_t b) const
  {
    return d_live[a] && (!d_live[b] || d_readers[b].after(d_readers[a]));
  }
  std::vector<RunReader>& d_readers;
  std::vector<char> d_live; ///< per reader: it holds a record
  std::vector<std::uint64_t> d_prefix; ///< per reader: its key's prefix, the greatest once read out
  std::vector<std::size_t> d_tree; ///< [0]: the winner; [1, size): the losers
};

} // namespace shun::store::detail
