#include "web/catalog.hpp"

namespace shun::web {

// Japanese: the senders who reach this page are often not English readers (issue 18).
const Catalog& japaneseCatalog()
{
  static const Catalog strings = [] {
    Catalog c {};
    auto set = [&](Msg id, std::string_view text) { c[static_cast<std::size_t>(id)] = text; };
    set(Msg::SiteTitle, "ブロックリスト照会");
    set(Msg::Intro,
        "IP アドレスまたはドメインを入力すると、掲載の有無、理由、期限、対処方法を確認できます。");
    set(Msg::KeyLabel, "IP アドレスまたはドメイン");
    set(Msg::LookUp, "照会する");
    set(Msg::LanguageNav, "言語");
    set(Msg::CheckedAt, "確認日時: {0}");
    set(Msg::NoZone, "この種類のアドレスや名前を扱うリストはここにはありません。");
    set(Msg::BadgeListed, "掲載中");
    set(Msg::BadgeNotListed, "掲載なし");
    set(Msg::BadgeRange, "掲載中(範囲)");
    set(Msg::BadgeWildcard, "掲載中(ワイルドカード)");
    set(Msg::BadgeTestPoint, "テスト用");
    set(Msg::BadgeBelow, "配下の名前が掲載中");
    set(Msg::HeadListed, "{0} はリスト {1} に掲載されています。");
    set(Msg::HeadNotListed, "{0} はリスト {1} に掲載されていません。");
    set(Msg::HeadRange, "{0} は、より大きなアドレス範囲の一部としてリスト {1} に掲載されています。");
    set(Msg::HeadWildcard,
        "{0} は、{3} 配下のすべての名前を対象とするワイルドカード {2} によってリスト {1} "
        "に掲載されています。");
    set(Msg::HeadTestPoint, "{0} はリスト {1} のテスト用の項目で、意図的に常に掲載されています(RFC 5782)。");
    set(Msg::HeadBelow,
        "{0} 自体はリスト {1} に掲載されていませんが、配下のすべての名前がワイルドカード {2} "
        "によって掲載されています。");
    set(Msg::EffectListed,
        "このリストを利用するメールサーバーは、掲載が終わるまで {0} "
        "からのメールを拒否するか、迷惑メールとして扱う可能性があります。");
    set(Msg::EffectNotListed, "このリストが原因で {0} からのメールが拒否されることはありません。");
    set(Msg::EffectTestPoint,
        "メール管理者がリストの動作確認に使うもので、実際の送信者については何も示していません。");
    set(Msg::Code, "応答コード");
    set(Msg::Message, "メッセージ");
    set(Msg::Reason, "理由");
    set(Msg::Evidence, "根拠");
    set(Msg::FirstListed, "初回掲載");
    set(Msg::ListedSince, "掲載開始");
    set(Msg::Expires, "掲載終了");
    set(Msg::TimesListed, "掲載回数");
    set(Msg::NotGiven, "記載なし");
    set(Msg::Unknown, "不明");
    set(Msg::NoExpiry, "終了日の設定なし");
    set(Msg::Cache, "削除後も、リゾルバーのキャッシュにより最大 {0} は以前の応答が返ることがあります。");
    set(Msg::WhatToDo, "対処方法");
    set(Msg::DefaultHelp,
        "まず原因を取り除いてください(ウイルスに感染したパソコン、盗まれたメールのパスワード、"
        "オープンリレー、設定の誤ったサーバーなど)"
        "。その後、可能であればここで掲載を削除するか、リストの運営者に連絡してください。");
    set(Msg::TestPointHelp, "対処は不要です。この項目は掲載されているのが正しい状態です。");
    set(Msg::RemovalOpen, "この掲載はご自身で削除できます。{2} あたり {1} 回のうち、残り {0} 回です。");
    set(Msg::RemovalFixFirst,
        "先に原因を取り除いてください。問題が続くと再び、より長い期間掲載され、残りの削除回数もなくなります"
        "。");
    set(Msg::RemovalButton, "{1} から {0} を削除する");
    set(Msg::RemovalNone, "このリストでは自分での削除はできません。リストの運営者に連絡してください。");
    set(Msg::RemovalLimit,
        "{1} あたりに認められた {0} "
        "回の削除をすべて使いました。掲載の原因となった問題を解決してから、リストの運営者に連絡してください"
        "。");
    set(Msg::RemovalCooldown, "最近削除が行われたため、まだ次の削除はできません。");
    set(Msg::RemovalRange,
        "より大きな項目の一部として掲載されており、その項目はリストの運営者しか削除できません。運営者に連絡し"
        "てください。");
    set(Msg::RemovalProtected, "ここでは削除できません: {0}");
    set(Msg::RemovalError, "現在、自分での削除は利用できません: {0}");
    set(Msg::RemovalNext, "次の削除は {0} から可能です。");
    set(Msg::Contact, "リストの運営者への連絡先: {0}");
    set(Msg::ContactZone, "{0}: {1}");
    set(Msg::ContactNone,
        "このリストの運営者は連絡先を公開していません。ご利用のメール事業者にお問い合わせください。");
    set(Msg::InFuture, "{0}後");
    set(Msg::InPast, "{0}前");
    set(Msg::JustNow, "たった今");
    set(Msg::Second, "1 秒");
    set(Msg::Minute, "1 分");
    set(Msg::Hour, "1 時間");
    set(Msg::Day, "1 日");
    set(Msg::Seconds, "{0} 秒");
    set(Msg::Minutes, "{0} 分");
    set(Msg::Hours, "{0} 時間");
    set(Msg::Days, "{0} 日");
    set(Msg::TitleNotFound, "見つかりません");
    set(Msg::TextNotFound, "このアドレスには何もありません。");
    set(Msg::TitleBadRequest, "不正な要求");
    set(Msg::TextBadKey, "IP アドレスまたはドメイン名ではありません。");
    set(Msg::TextBadForm, "フォームには IP アドレスまたはドメインと、リスト名が必要です。");
    set(Msg::TitleTooLarge, "要求が大きすぎます");
    set(Msg::TextTooLarge, "アドレスが長すぎます。");
    set(Msg::TitleMethod, "許可されていないメソッド");
    set(Msg::TextMethod, "ここでは GET と POST だけを使います。");
    set(Msg::TitleTooMany, "要求が多すぎます");
    set(Msg::TextTooMany, "お使いのアドレスからの要求が多すぎます。しばらくしてから再度お試しください。");
    set(Msg::TitleNotAccepted, "受け付けられません");
    set(Msg::TextNotAccepted, "削除の要求は、このサイトのフォームからのみ受け付けます。");
    set(Msg::TitleExpired, "フォームの有効期限切れ");
    set(Msg::TextExpired,
        "このフォームは有効期限が切れているか、このサイトで作られたものではありません。もう一度照会して、新し"
        "いフォームを使ってください。");
    set(Msg::TitleRemoved, "削除しました");
    set(Msg::TitleNotRemoved, "削除できませんでした");
    set(Msg::TitleQueued, "確認待ち");
    set(Msg::Back, "{0} に戻る");
    set(Msg::OutcomeGranted, "{0} を {1} から削除しました。1 秒以内に掲載されなくなります。");
    set(Msg::OutcomeQueued,
        "この 1 時間に {1} "
        "への削除要求が多かったため、あなたの要求はリストの運営者による確認待ちになりました。");
    set(Msg::OutcomeNotListed, "{0} は {1} に掲載されていません。");
    return c;
  }();
  return strings;
}

} // namespace shun::web
