"""Multilingual post texts for the synthetic exports.

A mission posts in Vietnamese, in its host country's languages (the registry's `languages`
column) and in English, about the subjects a foreign ministry's pages carry: national day, Tết,
trade, culture, consular notices, ASEAN and the UN, visits, education, tourism, the Vietnamese
community, and everyday posts about none of these (a weekend greeting, condolences, football).
Texts carry what real exports carry and parsers trip on: emoji, `&`, hashtags and, now and
then, embedded line breaks.

Posts are written as real pages write them, so that language detection (data/languages.py)
and the themes file (data/registry/themes.csv) have something to work on:

- **One language a post, mostly**: a post is a few whole sentences in Vietnamese, in a host
  language (`host_texts.SENTENCES`) or in English. About one post in ten is bilingual (the same
  news in two languages, one after the other), which detection rightly leaves undetermined.
- **A mix that depends on the mission** (`language_mix`): embassies in countries that do not
  speak English post much in the host language; consulates, whose audience is the Vietnamese
  community, more in Vietnamese; missions in English-speaking countries and to international
  organisations mostly in English; X accounts more in English than the others.
- The host languages without sentences (`ENGLISH_WITH_GREETING`: Irish, Māori, isiZulu,
  isiXhosa) are written in English opened by a greeting in the language, as the embassies in
  Dublin, Wellington and Pretoria do.

Randomness: the simulation's generator (`rng`) draws exactly the numbers it drew when posts were
three short phrases (a host language, one of three closings, the layout roll, the line-break
roll, the hashtags), so the counts of every post and account stay the same whatever the texts;
the sentences themselves come from a generator of their own (`text_rng`, one per account).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from data.generator.host_texts import CLOSINGS, GREETINGS, SENTENCES

# The languages a post can be written in besides Vietnamese and English: those with sentences,
# and those written in English after a greeting (see the module docstring).
HOST_LANGUAGES = frozenset(SENTENCES) | frozenset(GREETINGS)
ENGLISH_WITH_GREETING = frozenset(GREETINGS)

# Subject -> sentences in Vietnamese and in English, the first one the post's headline.
# Placeholders: place_vi, place_en, year, month, month_name, years (National Day anniversary),
# next_year.
VI: dict[str, tuple[str, ...]] = {
    "national_day": (
        "🇻🇳 Long trọng kỷ niệm {years} năm Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam "
        "(2/9/1945 – 2/9/{year}) tại {place_vi}.",
        "Buổi chiêu đãi có sự tham dự của đông đảo bạn bè, đối tác và bà con người Việt.",
        "Phát biểu tại buổi lễ, Đại sứ nhấn mạnh những thành tựu phát triển của đất nước sau "
        "{years} năm.",
        "Xin chân thành cảm ơn các vị khách đã cùng chúng tôi chia vui trong ngày hội lớn của "
        "dân tộc.",
    ),
    "tet": (
        "🧧 Chúc mừng năm mới! Cộng đồng người Việt tại {place_vi} vui đón Tết cổ truyền.",
        "Chương trình Xuân Quê hương năm nay có gói bánh chưng, viết thư pháp và biểu diễn "
        "văn nghệ.",
        "Đại sứ quán kính chúc bà con và bạn bè một năm mới an khang, thịnh vượng.",
        "Dù ở xa quê hương, hương vị Tết vẫn luôn ấm áp trong mỗi gia đình người Việt.",
    ),
    "trade": (
        "📈 Diễn đàn xúc tiến thương mại & đầu tư Việt Nam – {place_vi} thu hút hơn 100 doanh "
        "nghiệp tham dự.",
        "Kim ngạch thương mại song phương tiếp tục tăng trưởng ấn tượng trong những tháng đầu "
        "năm {year}.",
        "Các doanh nghiệp đặc biệt quan tâm đến cơ hội hợp tác trong năng lượng tái tạo, nông "
        "sản và chuyển đổi số.",
        "Đại sứ quán sẵn sàng kết nối và hỗ trợ doanh nghiệp hai nước tìm kiếm đối tác.",
    ),
    "culture": (
        "🎶 Đêm văn hóa Việt Nam tại {place_vi}: áo dài, ẩm thực & âm nhạc truyền thống.",
        "Khán giả được thưởng thức đàn bầu, múa nón và những món ăn đặc sắc của ba miền.",
        "Triển lãm tranh sơn mài và ảnh di sản thế giới của Việt Nam mở cửa đến hết tháng.",
        "Mời bạn bè cùng đến cảm nhận vẻ đẹp văn hóa Việt!",
    ),
    "consular": (
        "📢 THÔNG BÁO: Lịch tiếp công dân, cấp hộ chiếu & thị thực tháng {month}/{year}.",
        "Bộ phận lãnh sự tiếp nhận hồ sơ từ thứ Hai đến thứ Sáu, buổi sáng từ 9h00 đến 12h00.",
        "Công dân vui lòng đặt lịch hẹn trực tuyến và chuẩn bị đầy đủ giấy tờ theo hướng dẫn.",
        "Trong trường hợp khẩn cấp, xin liên hệ đường dây nóng bảo hộ công dân của Đại sứ quán.",
    ),
    "asean": (
        "🤝 Ngày ASEAN: Việt Nam cùng các nước ASEAN tại {place_vi} vì một Cộng đồng đoàn kết.",
        "Đại sứ các nước ASEAN đã cùng nhau kỷ niệm ngày thành lập Hiệp hội.",
        "Việt Nam luôn là thành viên tích cực, có trách nhiệm của ASEAN và Liên hợp quốc.",
        "Ngày hội gia đình ASEAN thu hút đông đảo bạn bè quốc tế tham gia.",
    ),
    "visit": (
        "Đại sứ làm việc với lãnh đạo địa phương, thúc đẩy hợp tác Việt Nam – {place_vi}.",
        "Hai bên trao đổi về hợp tác trong các lĩnh vực nông nghiệp, năng lượng và đổi mới "
        "sáng tạo.",
        "Chính quyền sở tại mong muốn tăng cường giao lưu với các tỉnh, thành phố của Việt Nam.",
        "Chuyến thăm góp phần làm sâu sắc hơn quan hệ hữu nghị giữa hai nước.",
    ),
    "education": (
        "🎓 Học bổng & giao lưu sinh viên Việt Nam – {place_vi} năm học {year}–{next_year}.",
        "Các bạn quan tâm có thể nộp hồ sơ trực tuyến trước ngày 30 tháng tới.",
        "Đại sứ quán đã gặp gỡ các nhà khoa học và giảng viên của trường đại học đối tác.",
        "Giáo dục, khoa học và công nghệ là trụ cột quan trọng trong quan hệ hai nước.",
    ),
    "tourism": (
        "🌏 Khám phá Việt Nam – điểm đến an toàn, thân thiện: Hạ Long, Hội An, Sa Pa…",
        "Năm {year}, Việt Nam đón lượng du khách quốc tế cao kỷ lục.",
        "Chính sách thị thực điện tử giúp việc du lịch đến Việt Nam thuận tiện hơn bao giờ hết.",
        "Hẹn gặp bạn tại gian hàng Việt Nam ở hội chợ du lịch quốc tế!",
    ),
    "community": (
        "❤️ Gặp mặt bà con người Việt tại {place_vi} – gắn kết & sẻ chia.",
        "Đại sứ thông tin về tình hình đất nước và lắng nghe tâm tư, nguyện vọng của bà con.",
        "Hội người Việt giới thiệu các lớp dạy tiếng Việt cho thế hệ trẻ.",
        "Cảm ơn bà con luôn hướng về quê hương và là cầu nối hữu nghị giữa hai nước.",
    ),
    "everyday": (
        "☀️ Chúc mọi người một cuối tuần vui vẻ và tràn đầy năng lượng!",
        "Đại sứ quán xin gửi lời chia buồn sâu sắc tới đồng bào miền Trung chịu thiệt hại do "
        "mưa lũ.",
        "⚽ Chúc mừng đội tuyển bóng đá Việt Nam với chiến thắng thuyết phục tối qua!",
        "Mời các bạn theo dõi trang để cập nhật những thông tin mới nhất từ Đại sứ quán!",
    ),
}
EN: dict[str, tuple[str, ...]] = {
    "national_day": (
        "🇻🇳 Celebrating {years} years of Viet Nam's National Day with friends in {place_en}! 🎉",
        "Guests, partners and members of the Vietnamese community joined the reception hosted "
        "by the Embassy.",
        "In his remarks, the Ambassador looked back on {years} years of independence and the "
        "country's remarkable development.",
        "Thank you to everyone who celebrated with us!",
    ),
    "tet": (
        "🧧 Happy Lunar New Year! Celebrating Tết with the Vietnamese community in {place_en} 🌸",
        "This year's celebration featured bánh chưng making, calligraphy and traditional "
        "performances.",
        "The Embassy wishes all our friends a year of health, peace and prosperity.",
        "Far from home, the spirit of Tết keeps every Vietnamese family close.",
    ),
    "trade": (
        "📈 The Viet Nam – {place_en} trade & investment forum brought together more than 100 "
        "businesses.",
        "Two-way trade has kept growing strongly in the first months of {year}.",
        "Companies showed particular interest in renewable energy, agricultural products and "
        "digital transformation.",
        "The Embassy stands ready to connect businesses of both countries with new partners.",
    ),
    "culture": (
        "🎶 A night of Vietnamese culture in {place_en}: áo dài, food & traditional music.",
        "The audience enjoyed the đàn bầu, the conical hat dance and dishes from all three "
        "regions.",
        "An exhibition of lacquer paintings and photos of Viet Nam's World Heritage sites is "
        "open until the end of the month.",
        "Come and feel the beauty of Vietnamese culture with us!",
    ),
    "consular": (
        "📢 Consular notice: passport & visa services schedule for {month_name} {year}.",
        "The consular section receives applications Monday to Friday, from 9:00 to 12:00.",
        "Please book an appointment online and bring all the documents listed on our website.",
        "In an emergency, Vietnamese citizens can call the Embassy's citizen protection hotline.",
    ),
    "asean": (
        "🤝 ASEAN Day: Viet Nam & ASEAN partners in {place_en} for a united Community.",
        "Ambassadors of the ASEAN member states marked the anniversary of the Association "
        "together.",
        "Viet Nam remains an active and responsible member of ASEAN and the United Nations.",
        "The ASEAN family day welcomed diplomats, students and friends from across the region.",
    ),
    "visit": (
        "The Ambassador met local leaders to boost Viet Nam – {place_en} cooperation.",
        "Both sides discussed cooperation in agriculture, energy and innovation.",
        "The regional government hopes to expand exchanges with Vietnamese provinces and cities.",
        "The visit helps deepen the friendship between our two countries.",
    ),
    "education": (
        "🎓 Scholarships & student exchanges between Viet Nam and {place_en} for "
        "{year}–{next_year}.",
        "Those interested can apply online before the 30th of next month.",
        "The Embassy met scientists and lecturers at our partner university.",
        "Education, science and technology are key pillars of our relationship.",
    ),
    "tourism": (
        "🌏 Discover Viet Nam: Ha Long Bay, Hoi An & Sa Pa are waiting for you.",
        "In {year}, Viet Nam is welcoming a record number of international visitors.",
        "With the e-visa, travelling to Viet Nam has never been easier.",
        "Meet us at the Viet Nam stand at the international travel fair!",
    ),
    "community": (
        "❤️ Meeting the Vietnamese community in {place_en} – together & united.",
        "The Ambassador shared news from home and listened to their hopes and concerns.",
        "The Vietnamese association presented its language classes for the younger generation.",
        "Thank you for keeping close ties with the homeland and for being a bridge between our "
        "two countries.",
    ),
    "everyday": (
        "☀️ Wishing everyone a relaxing weekend!",
        "Our thoughts are with the people of central Viet Nam affected by the floods.",
        "⚽ Congratulations to Viet Nam's national football team on last night's win!",
        "Follow our page for the latest updates from the Embassy!",
    ),
}
# Subject -> YouTube (and Facebook video) title in Vietnamese and in English (a video in a host
# language takes its headline, when it fits). Same placeholders.
TITLES: dict[str, tuple[str, str]] = {
    "national_day": (
        "Lễ kỷ niệm {years} năm Quốc khánh Việt Nam tại {place_vi}",
        "Viet Nam National Day {year}: the celebration in {place_en}",
    ),
    "tet": (
        "Xuân Quê hương {year} – Tết cộng đồng tại {place_vi}",
        "Tết celebration {year} in {place_en}",
    ),
    "trade": (
        "Diễn đàn thương mại & đầu tư Việt Nam – {place_vi} {year}",
        "Trade & Investment Forum Viet Nam – {place_en} {year}",
    ),
    "culture": ("Đêm văn hóa Việt Nam tại {place_vi}", "Vietnamese Culture Night in {place_en}"),
    "consular": ("Hướng dẫn thủ tục lãnh sự năm {year}", "Consular services guide {year}"),
    "asean": (
        "Ngày hội gia đình ASEAN {year} tại {place_vi}",
        "ASEAN Family Day {year} in {place_en}",
    ),
    "visit": (
        "Đại sứ thăm và làm việc, thúc đẩy hợp tác Việt Nam – {place_vi}",
        "Ambassador's visit | Viet Nam – {place_en} cooperation",
    ),
    "education": (
        "Học bổng du học Việt Nam năm học {year}–{next_year}",
        "Study in Viet Nam | Scholarships {year}–{next_year}",
    ),
    "tourism": (
        "Khám phá Việt Nam 🌏 Cẩm nang du lịch {year}",
        "Discover Viet Nam 🌏 Travel guide {year}",
    ),
    "community": ("Cộng đồng người Việt tại {place_vi}", "The Vietnamese community in {place_en}"),
    "everyday": (
        "Nhìn lại hoạt động của Đại sứ quán tháng {month}/{year}",
        "The Embassy's month in pictures: {month_name} {year}",
    ),
}
SUBJECTS = tuple(VI)
ORDINARY_THEMES = (
    "trade",
    "culture",
    "consular",
    "asean",
    "visit",
    "education",
    "tourism",
    "community",
)
# Share of the posts drawn with an ordinary theme that are about none (ASEAN posts excepted:
# their hashtags are drawn differently, see `_hashtags`).
EVERYDAY_SHARE = 0.15
AMBASSADOR_PREFIX = ("Tôi rất vui được chia sẻ: ", "Honoured to share: ")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
# First day of Tết (Lunar New Year), for the seasonal themes.
TET = {
    2023: date(2023, 1, 22), 2024: date(2024, 2, 10), 2025: date(2025, 1, 29),
    2026: date(2026, 2, 17), 2027: date(2027, 2, 6), 2028: date(2028, 1, 26),
}  # fmt: skip
MAX_X_LENGTH = 280
# Room the body of an X post leaves for its hashtags.
X_BODY = 230

# The language of a post: one language, or two (the same news in both, one after the other).
VI_ONLY, HOST, EN_ONLY = "vi", "host", "en"
VI_EN, VI_HOST, HOST_EN = "vi+en", "vi+host", "host+en"


@dataclass(frozen=True)
class Place:
    """How a mission's posts name where it is, and what its languages are."""

    vi: str  # e.g. "Nhật Bản"
    en: str  # e.g. "Japan"
    tag: str  # hashtag without '#', e.g. "Japan"
    languages: tuple[str, ...]  # host languages other than English posts can be in, registry order
    english: bool = False  # English is one of the registry's languages of the mission
    kind: str = "embassy"  # the mission's kind (embassy, consulate, permanent_mission, other)


def theme_for(day: date, kind: str, rng: random.Random) -> str:
    """The theme of a post published on `day`: seasonal themes around their dates."""
    if date(day.year, 8, 28) <= day <= date(day.year, 9, 3) and rng.random() < 0.7:
        return "national_day"
    tet = TET.get(day.year)
    if tet and abs((day - tet).days) <= 5 and rng.random() < 0.6:
        return "tet"
    if date(day.year, 8, 6) <= day <= date(day.year, 8, 9) and rng.random() < 0.6:
        return "asean"
    if kind == "consulate" and rng.random() < 0.25:
        return "consular"
    return ORDINARY_THEMES[rng.randrange(len(ORDINARY_THEMES))]


def subject_for(theme: str, text_rng: random.Random) -> str:
    """What a post of `theme` is about: the theme, or now and then an everyday subject."""
    if theme in ORDINARY_THEMES and theme != "asean" and text_rng.random() < EVERYDAY_SHARE:
        return "everyday"
    return theme


def language_mix(place: Place, platform: str) -> tuple[tuple[str, float], ...]:
    """The share of a mission's posts in each language layout, on one platform (adds up to 1)."""
    host = bool(place.languages)
    if place.kind == "permanent_mission":
        mix = {EN_ONLY: 0.52, VI_ONLY: 0.32, HOST: 0.06 if host else 0.0, VI_EN: 0.10}
    elif host and not place.english:  # Tokyo, Paris, Cairo: the host language is the one to use
        if place.kind == "consulate":
            mix = {VI_ONLY: 0.48, HOST: 0.28, EN_ONLY: 0.12, VI_HOST: 0.06, VI_EN: 0.06}
        else:
            mix = {VI_ONLY: 0.36, HOST: 0.36, EN_ONLY: 0.16, VI_HOST: 0.06, VI_EN: 0.06}
    elif host:  # Pretoria, Ottawa, Singapore: English is a host language, and not the only one
        mix = {VI_ONLY: 0.38, EN_ONLY: 0.36, HOST: 0.14, VI_EN: 0.08, HOST_EN: 0.04}
    elif place.kind == "consulate":
        mix = {VI_ONLY: 0.55, EN_ONLY: 0.35, VI_EN: 0.10}
    else:  # Washington, London, Canberra
        mix = {VI_ONLY: 0.45, EN_ONLY: 0.45, VI_EN: 0.10}
    if platform == "x":  # X speaks English more, and is too short for two languages
        mix[EN_ONLY] = mix.get(EN_ONLY, 0.0) * 1.8
        for two in (VI_EN, VI_HOST, HOST_EN):
            if two in mix:
                mix[two] *= 0.5
    total = sum(mix.values())
    return tuple((layout, share / total) for layout, share in mix.items() if share > 0)


def _layout(mix: tuple[tuple[str, float], ...], roll: float) -> str:
    for layout, share in mix:
        roll -= share
        if roll < 0:
            return layout
    return mix[-1][0]


def _fields(place: Place, day: date) -> dict[str, object]:
    return {
        "place_vi": place.vi,
        "place_en": place.en,
        "year": day.year,
        "next_year": day.year + 1,
        "month": day.month,
        "month_name": MONTHS[day.month - 1],
        "years": day.year - 1945,
    }


def _hashtags(place: Place, theme: str, rng: random.Random) -> str:
    tags = ["#VietNam", f"#{place.tag}"]
    # ASEAN's hashtag now and then beyond ASEAN posts (the draw is made for every other post,
    # whatever the share: see the module docstring).
    if theme == "asean" or rng.random() < 0.05:
        tags.append("#ASEAN")
    if theme == "tet":
        tags.append("#Tết")
    if rng.random() < 0.3:
        tags.append("#VNDiplomacy")
    return " ".join(tags)


def _pick(
    sentences: tuple[str, ...], count: int, subject: str, text_rng: random.Random
) -> list[str]:
    """`count` of the sentences, in their order: the headline first (any for everyday posts,
    which are not one story)."""
    count = max(1, min(count, len(sentences)))
    if subject == "everyday":
        return [sentences[i] for i in sorted(text_rng.sample(range(len(sentences)), count))]
    rest = sorted(text_rng.sample(range(1, len(sentences)), count - 1))
    return [sentences[0], *(sentences[i] for i in rest)]


def _sentences(
    language: str,
    subject: str,
    place: Place,
    day: date,
    count: int,
    closing: int,
    ambassador: bool,
    text_rng: random.Random,
) -> list[str]:
    """The sentences of a post's part in one language (`vi`, `en` or a host language)."""
    if language in SENTENCES:
        own = SENTENCES[language][subject]
        picked = list(own) if count >= len(own) else _pick(own, count, subject, text_rng)
        return [*picked, CLOSINGS[language][closing]]
    fields = _fields(place, day)
    table = VI if language == "vi" else EN
    picked = [s.format(**fields) for s in _pick(table[subject], count, subject, text_rng)]
    if ambassador and language in ("vi", "en"):
        picked[0] = AMBASSADOR_PREFIX[0 if language == "vi" else 1] + picked[0]
    if language in GREETINGS and len(picked) > 1:
        # An English post opened by a greeting in the host language (not a one-liner, which
        # the greeting would outweigh).
        picked.insert(0, GREETINGS[language])
    return picked


def written_in(
    language: str,
    subject: str,
    place: Place,
    day: date,
    platform: str,
    text_rng: random.Random,
    *,
    closing: int = 0,
    ambassador: bool = False,
    multiline: bool = False,
    parts: int = 1,
) -> str:
    """A post's text (or its part, one of `parts` languages) in one language: a headline and
    a few sentences (fewer on X, one for everyday subjects), then the language's closing."""
    if platform == "x":
        count = 1 if parts > 1 else text_rng.choice((1, 2, 2))
    elif subject == "everyday":  # one thing to say: a greeting, condolences, a football win
        count = 1
    else:
        count = 2 if parts > 1 else text_rng.choice((2, 3, 3, 4))
    sentences = _sentences(language, subject, place, day, count, closing, ambassador, text_rng)
    if platform == "x":  # as many sentences as fit, the headline always
        while len(sentences) > 1 and len(" ".join(sentences)) > X_BODY // parts:
            sentences.pop()
    if multiline and parts == 1 and len(sentences) > 1:
        return sentences[0] + "\n" + " ".join(sentences[1:])
    return " ".join(sentences)


def post_text(
    rng: random.Random,
    text_rng: random.Random,
    place: Place,
    subject: str,
    day: date,
    platform: str,
    ambassador: bool,
) -> tuple[str, str]:
    """A post's text: a few sentences about `subject` in one language, now and then in two,
    in the proportions of `language_mix`, then hashtags; and the language it starts with (`vi`,
    `en` or a host language's code, for its video's title). (`rng` draws the same numbers
    whatever the texts, see the module docstring.)"""
    host, closing = None, 0
    if place.languages:
        host = place.languages[rng.randrange(len(place.languages))]
        closing = rng.randrange(3)
    layout = _layout(language_mix(place, platform), rng.random())
    multiline = rng.random() < (0.15 if platform == "x" else 0.4)
    hashtags = _hashtags(place, subject, rng)
    languages = {
        VI_ONLY: ["vi"],
        EN_ONLY: ["en"],
        HOST: [host],
        VI_EN: ["vi", "en"],
        VI_HOST: ["vi", host],
        HOST_EN: [host, "en"],
    }[layout]
    parts = [
        written_in(
            language,
            subject,
            place,
            day,
            platform,
            text_rng,
            closing=closing,
            ambassador=ambassador,
            multiline=multiline,
            parts=len(languages),
        )
        for language in languages
        if language is not None  # a host layout only for missions with host languages
    ]
    body = ("\n\n" if multiline else " ").join(parts)
    text = f"{body}{chr(10) if multiline else ' '}{hashtags}"
    if platform == "x" and len(text) > MAX_X_LENGTH:
        text = text[: MAX_X_LENGTH - 1].rstrip() + "…"
    first = languages[0]
    return text, ("en" if first in ENGLISH_WITH_GREETING else first)


def video_title(place: Place, subject: str, day: date, language: str = "vi") -> str:
    """A YouTube video or Facebook video title, in the language of the post it goes with (see
    `post_text`): one language, as the post's text."""
    if language in SENTENCES:
        own = SENTENCES[language][subject]
        title = own[0]
        # A headline of a few Chinese or Japanese characters says little: two sentences then.
        if sum(c.isalpha() for c in title) < 25 and len(own) > 1:
            title = f"{own[0]} {own[1]}"
        if len(title) <= 100:
            return title
        language = "en"
    vi, en = TITLES[subject]
    return (vi if language == "vi" else en).format(**_fields(place, day))[:100]
