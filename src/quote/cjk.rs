//! Who is quoted in Chinese and Japanese, which set no spaces between words, so the English
//! attribution (words, capitals) cannot read them:
//! - Chinese: the speaker stands right before a verb of saying, before or after the quotation
//!   (`外交部发言人汪文斌表示：“…”`, `“…。”李强说`); titles before the name are dropped and the
//!   name is cut at a place or time (`习近平在北京说` → `习近平`).
//! - Japanese: `X は「…」と述べた`: a quotation followed by と and a verb of saying, its speaker
//!   the topic before は or が, titles after the name dropped (`植田和男総裁` → `植田和男`).
//!
//! A name must be two to four Chinese characters (five for Japanese, or katakana) and must not
//! end like an organisation or a place (`商务部`, `中方`): when unsure, no speaker.

use super::extract::RawQuote;
use crate::text::quotation::is_cjk;

/// Chinese verbs of saying.
const ZH_VERBS: &[&str] =
    &["表示", "指出", "强调", "宣布", "透露", "回应", "介绍", "坦言", "直言", "提到", "认为", "说道", "说", "称", "道"];

/// Chinese titles and roles before a name.
const ZH_TITLES: &[&str] = &[
    "发言人",
    "主席",
    "总理",
    "部长",
    "总统",
    "总书记",
    "委员",
    "书记",
    "省长",
    "市长",
    "大使",
    "董事长",
    "主任",
    "院长",
    "局长",
    "首相",
    "教授",
    "专家",
    "经理",
    "总裁",
    "代表",
    "司长",
    "外长",
];

/// Last characters of organisations and places.
const ZH_ORG_ENDINGS: &[char] = &[
    '部', '局', '院', '社', '会', '委', '厅', '处', '行', '司', '署', '国', '省', '市', '府', '馆', '所', '台', '报',
    '团', '党', '军', '方', '组', '网', '校', '队',
];

/// Words that are never a name: reports, statements, experts, officials, pronouns.
const NOT_NAMES: &[&str] = &[
    "报道",
    "消息",
    "声明",
    "人士",
    "专家",
    "官员",
    "媒体",
    "记者",
    "分析",
    "他们",
    "我们",
    "専門家",
    "関係者",
    "担当者",
    "政府",
    "当局",
    "首脳",
];

/// Characters a Chinese name is cut at: a place, a time or an adverb follows the name.
const ZH_CUTS: &[char] =
    &['在', '于', '对', '向', '昨', '今', '周', '也', '还', '则', '曾', '又', '已', '就', '当', '此'];

/// Japanese verbs of saying after `と`.
const JA_VERBS: &[&str] =
    &["述べ", "語っ", "語る", "話し", "話す", "強調", "説明", "言っ", "言う", "指摘", "明かし", "発表"];

/// Japanese titles and honorifics after a name.
const JA_TITLES: &[&str] = &[
    "官房長官",
    "委員長",
    "首相",
    "総裁",
    "大臣",
    "長官",
    "大統領",
    "社長",
    "議員",
    "知事",
    "市長",
    "代表",
    "会長",
    "教授",
    "総理",
    "外相",
    "氏",
    "さん",
];

/// Clause boundaries.
fn boundary(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '，' | '；' | '、' | '“' | '”' | '「' | '」' | '『' | '』' | '\n' | '.' | ',')
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn is_katakana(c: char) -> bool {
    matches!(c as u32, 0x30A0..=0x30FF)
}

/// The speaker of `q` when it is a Chinese or Japanese quotation (its first character is one):
/// `Some(None)` when no speaker can be told, `None` when the quotation is not one.
pub fn speaker(text: &str, q: &RawQuote) -> Option<Option<String>> {
    let first = text[q.start()..].chars().next()?;
    if !is_cjk(first) {
        return None;
    }
    let before = &text[..q.open];
    let after = &text[q.close.min(text.len())..];
    Some(japanese(before, after).or_else(|| chinese(before, after)))
}

fn not_a_name(name: &str) -> bool {
    NOT_NAMES.iter().any(|w| name.contains(w))
}

/// `X は「…」と述べた`.
fn japanese(before: &str, after: &str) -> Option<String> {
    let tail = after.strip_prefix('と')?;
    if !JA_VERBS.iter().any(|v| tail.starts_with(v)) {
        return None;
    }
    let sentence = before.rsplit(['。', '\n', '！', '？']).next()?;
    let topic_end = sentence.find(['は', 'が'])?;
    let mut name = &sentence[..topic_end];
    if let Some(p) = name.rfind('の') {
        name = &name[p + 'の'.len_utf8()..];
    }
    name = name.rsplit('、').next()?;
    for t in JA_TITLES {
        if let Some(n) = name.strip_suffix(t) {
            name = n;
            break;
        }
    }
    let n = name.chars().count();
    let letters = name.chars().all(|c| is_han(c) || is_katakana(c));
    (letters && (2..=5).contains(&n) && !name.ends_with(ZH_ORG_ENDINGS) && !not_a_name(name)).then(|| name.to_string())
}

/// `X表示：“…”`, `“…”X说`.
fn chinese(before: &str, after: &str) -> Option<String> {
    let lead = before.trim_end_matches(['：', ':', '，', ',', ' ']);
    let clause = lead.rsplit(boundary).next().unwrap_or(lead);
    if let Some(name) = ZH_VERBS.iter().find_map(|v| clause.strip_suffix(v)).and_then(name_before_verb) {
        return Some(name);
    }
    let follow = after.split(boundary).next().unwrap_or("");
    let follow = follow.trim_start_matches(['，', ',', ' ']);
    let verb_at = ZH_VERBS.iter().filter_map(|v| follow.find(v)).min()?;
    name_before_verb(&follow[..verb_at])
}

/// The name at the end of `words` (what stands before a verb of saying): titles before it
/// dropped, cut at a place or time, then checked.
fn name_before_verb(words: &str) -> Option<String> {
    let mut name = words;
    if let Some((at, t)) = ZH_TITLES.iter().filter_map(|t| name.rfind(t).map(|at| (at, *t))).max() {
        name = &name[at + t.len()..];
    }
    if let Some(cut) = name.find(ZH_CUTS).filter(|&c| c > 0) {
        name = &name[..cut];
    }
    let n = name.chars().count();
    let han = name.chars().all(is_han);
    (han && (2..=4).contains(&n) && !name.ends_with(ZH_ORG_ENDINGS) && !not_a_name(name)).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote_in(text: &str, inner: &str) -> RawQuote {
        let start = text.find(inner).unwrap();
        let open = text[..start].char_indices().last().unwrap().0;
        let end = start + inner.len();
        let close = end + text[end..].chars().next().unwrap().len_utf8();
        RawQuote { fragments: vec![(start, end)], open, close, closed: true, breaks: vec![] }
    }

    fn who(text: &str, inner: &str) -> Option<Option<String>> {
        speaker(text, &quote_in(text, inner))
    }

    #[test]
    fn chinese_speakers_before_and_after_the_quotation() {
        assert_eq!(
            who("外交部发言人汪文斌表示：“中方愿意推动局势缓和。”", "中方愿意推动局势缓和。"),
            Some(Some("汪文斌".into()))
        );
        assert_eq!(who("国家主席习近平在北京说：“改革开放。”", "改革开放。"), Some(Some("习近平".into())));
        assert_eq!(who("“经济长期向好。”李强说。", "经济长期向好。"), Some(Some("李强".into())));
        // An organisation, or nothing that says: no speaker.
        assert_eq!(who("商务部在声明中称：“措施下月生效。”", "措施下月生效。"), Some(None));
        assert_eq!(who("报道称“这是好事”。", "这是好事"), Some(None));
    }

    #[test]
    fn japanese_topic_before_the_quotation() {
        let text = "日銀の植田和男総裁は「物価を注意深く見ていく」と語った。";
        assert_eq!(who(text, "物価を注意深く見ていく"), Some(Some("植田和男".into())));
        let text = "政府関係者によると、『新しい制度は来年から始まる』という。";
        assert_eq!(who(text, "新しい制度は来年から始まる"), Some(None));
    }

    #[test]
    fn other_scripts_are_not_read_here() {
        assert_eq!(who("He said “we will go” today.", "we will go"), None);
    }
}
