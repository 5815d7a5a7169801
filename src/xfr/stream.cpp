#include "xfr/stream.hpp"

#include "shun/wire/message.hpp"

namespace shun::xfr {
namespace {

// Records into messages of the builder's size, each handed to the connection as it fills.
class Streamer : public zone::RecordVisitor {
public:
  Streamer(Transfer::State& state, MessageBuilder& builder)
      : d_state(state)
      , d_builder(builder)
  {
  }
  void record(const zone::ZoneRecord& record) override
  {
    if (!d_builder.add(record)) {
      flush();
      d_builder.add(record);
    }
    ++d_records;
  }
  void soa(const store::Zone& zone, std::string_view rdata)
  {
    record({ "", wire::dns::kTypeSoa, zone.soa->ttl, zone.soa->ttl, rdata, false });
  }
  void flush()
  {
    if (d_builder.count() == 0)
      return;
    d_state.push(d_builder.take());
    ++d_messages;
  }
  void count(Counters& counters) const
  {
    counters.records.fetch_add(d_records, std::memory_order_relaxed);
    counters.messages.fetch_add(d_messages, std::memory_order_relaxed);
  }

private:
  Transfer::State& d_state;
  MessageBuilder& d_builder;
  std::uint64_t d_records = 0, d_messages = 0;
};

// Runs body; a cancelled or failed transfer just ends (the client sees the connection end unfinished).
template <typename Body>
void run(Transfer::State& state, std::shared_ptr<const store::Snapshot> snapshot, Counters& counters,
    Streamer& streamer, Body body)
{
  try {
    body();
    streamer.flush();
    counters.completed.fetch_add(1, std::memory_order_relaxed);
  } catch (const Cancelled&) {
  } catch (const std::exception&) {
  }
  streamer.count(counters);
  snapshot.reset(); // a replaced snapshot is freed here, off the serving threads
  state.finish();
}

} // namespace

void produceAxfr(Transfer::State& state, std::shared_ptr<const store::Snapshot> snapshot,
    const store::Zone& zone, MessageBuilder builder, std::int64_t now, Counters& counters)
{
  Streamer streamer(state, builder);
  run(state, std::move(snapshot), counters, streamer, [&] {
    zone::forEachRecord(zone, now, streamer);
    streamer.soa(zone, zone::soaRdata(zone));
  });
}

void produceIxfr(Transfer::State& state, std::shared_ptr<const store::Snapshot> snapshot,
    const store::Zone& zone, std::vector<std::shared_ptr<const Service::Change>> changes,
    MessageBuilder builder, Counters& counters)
{
  Streamer streamer(state, builder);
  run(state, std::move(snapshot), counters, streamer, [&] {
    std::string current = zone::soaRdata(zone);
    streamer.soa(zone, current);
    for (const auto& change : changes) {
      streamer.soa(zone, change->fromSoa);
      for (const zone::OwnedRecord& record : change->difference.deleted)
        streamer.record(record.view());
      streamer.soa(zone, change->toSoa);
      for (const zone::OwnedRecord& record : change->difference.added)
        streamer.record(record.view());
    }
    streamer.soa(zone, current);
  });
}

} // namespace shun::xfr
