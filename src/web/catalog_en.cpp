#include "web/catalog.hpp"

namespace shun::web {

// English: plain words for a sender whose mail was refused, not for a mail expert.
const Catalog& englishCatalog()
{
  static const Catalog strings = [] {
    Catalog c {};
    auto set = [&](Msg id, std::string_view text) { c[static_cast<std::size_t>(id)] = text; };
    set(Msg::SiteTitle, "Blocklist lookup");
    set(Msg::Intro,
        "Enter an IP address or a domain to see whether it is listed, why, until when, and what to do.");
    set(Msg::KeyLabel, "IP address or domain");
    set(Msg::LookUp, "Look up");
    set(Msg::LanguageNav, "Language");
    set(Msg::CheckedAt, "Checked {0}.");
    set(Msg::NoZone, "No list here covers this kind of address or name.");
    set(Msg::BadgeListed, "Listed.");
    set(Msg::BadgeNotListed, "Not listed.");
    set(Msg::BadgeRange, "Listed (range).");
    set(Msg::BadgeWildcard, "Listed (wildcard).");
    set(Msg::BadgeTestPoint, "Test point.");
    set(Msg::BadgeBelow, "Names below are listed.");
    set(Msg::HeadListed, "{0} is on the list {1}.");
    set(Msg::HeadNotListed, "{0} is not on the list {1}.");
    set(Msg::HeadRange, "{0} is listed on {1} as part of a larger address range.");
    set(Msg::HeadWildcard,
        "{0} is listed on {1} by the wildcard entry {2}, which lists every name below {3}.");
    set(Msg::HeadTestPoint, "{0} is a test entry of {1}: it is always listed, on purpose (RFC 5782).");
    set(Msg::HeadBelow,
        "{0} itself is not listed on {1}, but every name below it is, by the wildcard entry {2}.");
    set(Msg::EffectListed,
        "Mail servers that use this list will probably refuse mail from {0}, or put it in the spam folder, "
        "until the listing ends.");
    set(Msg::EffectNotListed, "This list does not cause mail from {0} to be refused.");
    set(Msg::EffectTestPoint,
        "Mail administrators query it to check that the list works. It says nothing about any real sender.");
    set(Msg::Code, "Answer code");
    set(Msg::Message, "Message");
    set(Msg::Reason, "Reason");
    set(Msg::Evidence, "Evidence");
    set(Msg::FirstListed, "First listed");
    set(Msg::ListedSince, "Listed since");
    set(Msg::Expires, "Expires");
    set(Msg::TimesListed, "Times listed");
    set(Msg::NotGiven, "not given");
    set(Msg::Unknown, "unknown");
    set(Msg::NoExpiry, "no end date set");
    set(Msg::Cache,
        "After a removal, mail servers may still see the old answer for up to {0}: resolvers keep it in "
        "their cache that long.");
    set(Msg::WhatToDo, "What to do");
    set(Msg::DefaultHelp,
        "Find and fix the cause first: an infected computer, a stolen mail password, an open relay or a "
        "misconfigured server. Then remove the listing here if you can, or contact the list operator.");
    set(Msg::TestPointHelp, "Nothing: this entry is meant to be listed.");
    set(Msg::RemovalOpen, "You can remove this listing yourself: {0} of {1} removals left in {2}.");
    set(Msg::RemovalFixFirst,
        "Fix the cause first. If the problem goes on, it will be listed again, for longer, and the removals "
        "you have left will be used up.");
    set(Msg::RemovalButton, "Remove {0} from {1}");
    set(Msg::RemovalNone, "This list does not offer self-removal. Please contact the list operator.");
    set(Msg::RemovalLimit,
        "All {0} self-removals allowed in {1} have been used. Fix the problem that caused the listing "
        "first, then contact the list operator.");
    set(Msg::RemovalCooldown, "A self-removal was granted recently; another one is not possible yet.");
    set(Msg::RemovalRange,
        "It is listed as part of a larger entry, which only the list operator can remove: please contact "
        "them.");
    set(Msg::RemovalProtected, "It cannot be removed here: {0}");
    set(Msg::RemovalError, "Self-removal is not available right now: {0}");
    set(Msg::RemovalNext, "The next self-removal is possible {0}.");
    set(Msg::Contact, "Contact the list operator: {0}");
    set(Msg::ContactZone, "{0}: {1}");
    set(Msg::ContactNone, "The operator of this list has not published a contact; ask your mail provider.");
    set(Msg::InFuture, "in {0}");
    set(Msg::InPast, "{0} ago");
    set(Msg::JustNow, "just now");
    set(Msg::Second, "1 second");
    set(Msg::Minute, "1 minute");
    set(Msg::Hour, "1 hour");
    set(Msg::Day, "1 day");
    set(Msg::Seconds, "{0} seconds");
    set(Msg::Minutes, "{0} minutes");
    set(Msg::Hours, "{0} hours");
    set(Msg::Days, "{0} days");
    set(Msg::TitleNotFound, "Not found");
    set(Msg::TextNotFound, "There is nothing at this address.");
    set(Msg::TitleBadRequest, "Bad request");
    set(Msg::TextBadKey, "That is not an IP address or a domain name.");
    set(Msg::TextBadForm, "The form needs an IP address or domain and a list name.");
    set(Msg::TitleTooLarge, "Request too large");
    set(Msg::TextTooLarge, "The address is too long.");
    set(Msg::TitleMethod, "Method not allowed");
    set(Msg::TextMethod, "Only GET and POST are used here.");
    set(Msg::TitleTooMany, "Too many requests");
    set(Msg::TextTooMany, "Too many requests from your address; try again later.");
    set(Msg::TitleNotAccepted, "Not accepted");
    set(Msg::TextNotAccepted, "Removal requests are accepted only from the form on this site.");
    set(Msg::TitleExpired, "Form expired");
    set(Msg::TextExpired,
        "This form has expired or was not made by this site. Look the address up again and use the new "
        "form.");
    set(Msg::TitleRemoved, "Removed");
    set(Msg::TitleNotRemoved, "Not removed");
    set(Msg::TitleQueued, "Queued for review");
    set(Msg::Back, "Back to {0}");
    set(Msg::OutcomeGranted, "{0} has been removed from {1}; it stops being listed within a second.");
    set(Msg::OutcomeQueued,
        "Many removals were requested from {1} in the last hour, so yours has been queued for the list "
        "operator, who will review it.");
    set(Msg::OutcomeNotListed, "{0} is not listed in {1}.");
    return c;
  }();
  return strings;
}

} // namespace shun::web
