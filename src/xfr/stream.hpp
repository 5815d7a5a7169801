#pragma once

#include "xfr/message_builder.hpp"
#include "xfr/transfer.hpp"

namespace shun::xfr {

/// A transfer thread's body: the whole zone, SOA first and last (RFC 5936 2.2).
void produceAxfr(Transfer::State& state, std::shared_ptr<const store::Snapshot> snapshot,
    const store::Zone& zone, MessageBuilder builder, std::int64_t now, Counters& counters);

/// A transfer thread's body: the differences since the client's serial (RFC 1995 4).
void produceIxfr(Transfer::State& state, std::shared_ptr<const store::Snapshot> snapshot,
    const store::Zone& zone, std::vector<std::shared_ptr<const Service::Change>> changes,
    MessageBuilder builder, Counters& counters);

} // namespace shun::xfr
