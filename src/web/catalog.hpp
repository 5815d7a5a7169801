#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace shun::web {

/// The page's languages. English is the fallback for any other.
enum class Lang { En, Ja };

/// Every interface string of the page; each language has its catalog (catalog_en.cpp, catalog_ja.cpp).
/// "{0}", "{1}", ... are filled by format().
enum class Msg : std::size_t {
  SiteTitle,
  Intro,
  KeyLabel,
  LookUp,
  LanguageNav,
  CheckedAt,
  NoZone,
  BadgeListed,
  BadgeNotListed,
  BadgeRange,
  BadgeWildcard,
  BadgeTestPoint,
  BadgeBelow,
  HeadListed,
  HeadNotListed,
  HeadRange,
  HeadWildcard,
  HeadTestPoint,
  HeadBelow,
  EffectListed,
  EffectNotListed,
  EffectTestPoint,
  Code,
  Message,
  Reason,
  Evidence,
  FirstListed,
  ListedSince,
  Expires,
  TimesListed,
  NotGiven,
  Unknown,
  NoExpiry,
  Cache,
  WhatToDo,
  DefaultHelp,
  TestPointHelp,
  RemovalOpen,
  RemovalFixFirst,
  RemovalButton,
  RemovalNone,
  RemovalLimit,
  RemovalCooldown,
  RemovalRange,
  RemovalProtected,
  RemovalError,
  RemovalNext,
  Contact,
  ContactZone,
  ContactNone,
  InFuture,
  InPast,
  JustNow,
  Second,
  Seconds,
  Minute,
  Minutes,
  Hour,
  Hours,
  Day,
  Days,
  TitleNotFound,
  TextNotFound,
  TitleBadRequest,
  TextBadKey,
  TextBadForm,
  TitleTooLarge,
  TextTooLarge,
  TitleMethod,
  TextMethod,
  TitleTooMany,
  TextTooMany,
  TitleNotAccepted,
  TextNotAccepted,
  TitleExpired,
  TextExpired,
  TitleRemoved,
  TitleNotRemoved,
  TitleQueued,
  Back,
  OutcomeGranted,
  OutcomeQueued,
  OutcomeNotListed,
  Count
};

/// One language's strings, indexed by Msg.
using Catalog = std::array<std::string_view, static_cast<std::size_t>(Msg::Count)>;

/// The catalog of lang.
const Catalog& catalog(Lang lang);
/// The string id in lang.
std::string_view text(Lang lang, Msg id);
/// text(lang, id) with "{0}".."{9}" replaced by args (not escaped: escape HTML before or after).
std::string format(Lang lang, Msg id, std::initializer_list<std::string_view> args);
/// "en" or "ja", for lang="" and ?lang=.
std::string_view langCode(Lang lang);

/// The page language: ?lang= when given (an unknown one is English), else the Accept-Language entry
/// with the highest q among the page's languages, else English.
Lang chooseLanguage(std::string_view requested, std::string_view acceptLanguage);

/// "in 6 days", "3 hours ago" / "6 日後", "3 時間前": when relative to now, rounded down to the largest
/// unit (seconds, minutes, hours up to 2 days, then days).
std::string relativeTime(Lang lang, std::int64_t when, std::int64_t now);
/// "35 minutes" / "35 分": a duration in the largest whole unit.
std::string durationText(Lang lang, std::int64_t seconds);

/// text cut to at most maxBytes of UTF-8 (never inside a character), with "…" appended when cut.
std::string cutText(std::string_view text, std::size_t maxBytes);

} // namespace shun::web
