#include "admin/served.hpp"

#include "shun/store/dataset_type.hpp"
#include "shun/zone/load.hpp"

#include <arpa/inet.h>

namespace shun::admin {
namespace {

std::string wireName(const std::string& dotted)
{
  std::string wire;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    std::size_t dot = std::min(dotted.find('.', start), dotted.size());
    wire.push_back(static_cast<char>(dot - start));
    wire.append(dotted, start, dot - start);
    start = dot + 1;
  }
  return wire;
}

// The payload for key and the text "$" stands for.
std::uint32_t lookup(const store::Dataset& dataset, const Key& key, std::string& subject)
{
  switch (key.family) {
  case Key::Family::Ip4: {
    in_addr address { htonl(key.v4First) };
    char text[INET_ADDRSTRLEN];
    subject = inet_ntop(AF_INET, &address, text, sizeof text);
    return dataset.ip4.find(key.v4First);
  }
  case Key::Family::Ip6: {
    in6_addr address {};
    for (int i = 15; i >= 0; --i)
      address.s6_addr[i] = static_cast<std::uint8_t>(key.v6First >> (8 * (15 - i)));
    char text[INET6_ADDRSTRLEN];
    subject = inet_ntop(AF_INET6, &address, text, sizeof text);
    return dataset.ip6.find(key.v6First);
  }
  case Key::Family::Name: {
    auto hit = dataset.names.find(wireName(key.name));
    subject = key.name;
    return hit.payload == store::NameSet::kNoPayloadName ? store::kNoPayload : hit.payload;
  }
  }
  return store::kNoPayload;
}

} // namespace

std::optional<ServedAnswer> servedAnswer(const ZoneTarget& target, const Key& key, std::int64_t now)
{
  zone::LoadOptions options;
  options.now = now;
  auto result = zone::loadSnapshot({ zone::parseZoneSpec(target.zone + ":"
                                       + store::datasetTypeName(target.type) + ":" + target.dataFile) },
      options);
  if (!result.snapshot || result.snapshot->datasets.empty())
    return std::nullopt;
  const store::Dataset& dataset = *result.snapshot->datasets.front();
  std::string subject;
  std::uint32_t payload = lookup(dataset, key, subject);
  if (payload == store::kNoPayload)
    return std::nullopt;
  for (store::ValueId id : dataset.sets.set(payload)) {
    const store::CompiledValue& value = dataset.values.compiled(id);
    if (value.expires != 0 && value.expires <= now)
      continue;
    ServedAnswer answer;
    char text[INET_ADDRSTRLEN];
    answer.a = inet_ntop(AF_INET, value.aRdata, text, sizeof text);
    if (value.hasTxt && value.txtHasKey) {
      char expanded[254];
      answer.txt.assign(expanded, store::expandTemplate(value.txt, subject, expanded));
    } else if (value.hasTxt) {
      answer.txt = value.txt;
    }
    return answer;
  }
  return std::nullopt;
}

} // namespace shun::admin
