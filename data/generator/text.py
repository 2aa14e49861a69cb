"""Multilingual post texts for the synthetic exports.

A mission posts in Vietnamese, in its host country's languages (the registry's `languages`
column) and in English, about the themes a foreign ministry's pages carry: national day, Tết,
trade, culture, consular notices, ASEAN, visits, education, tourism, the Vietnamese community.
Texts carry what real exports carry and parsers trip on: emoji, `&`, hashtags and, now and
then, embedded line breaks.

The host-language lines are short, generic phrases (friendship, an invitation, thanks) so that
every language of the registry is covered without machine translation of whole posts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

# Three generic lines a language: friendship, an invitation, thanks.
HOST_PHRASES: dict[str, tuple[str, str, str]] = {
    "af": (
        "Vriendskap en samewerking tussen ons twee lande",
        "Welkom!",
        "Dankie aan al ons vriende",
    ),
    "ar": ("الصداقة والتعاون بين بلدينا", "نرحب بكم جميعاً!", "شكراً لجميع الأصدقاء"),
    "be": (
        "Сяброўства і супрацоўніцтва паміж нашымі краінамі",
        "Чакаем вас!",
        "Дзякуй усім сябрам",
    ),
    "bg": (
        "Приятелство и сътрудничество между нашите две страни",
        "Очакваме ви!",
        "Благодарим на всички приятели",
    ),
    "bn": ("আমাদের দুই দেশের বন্ধুত্ব ও সহযোগিতা", "সবাইকে স্বাগতম!", "সকল বন্ধুদের ধন্যবাদ"),
    "cs": (
        "Přátelství a spolupráce mezi našimi zeměmi",
        "Těšíme se na vás!",
        "Děkujeme všem přátelům",
    ),
    "da": (
        "Venskab og samarbejde mellem vores to lande",
        "Vi glæder os til at se jer!",
        "Tak til alle venner",
    ),
    "de": (
        "Freundschaft und Zusammenarbeit zwischen unseren beiden Ländern",
        "Wir freuen uns auf Sie!",
        "Vielen Dank an alle Freunde",
    ),
    "el": (
        "Φιλία και συνεργασία μεταξύ των δύο χωρών μας",
        "Σας περιμένουμε!",
        "Ευχαριστούμε όλους τους φίλους",
    ),
    "es": (
        "Amistad y cooperación entre nuestros dos países",
        "¡Les esperamos!",
        "Gracias a todos los amigos",
    ),
    "fa": ("دوستی و همکاری میان دو کشور ما", "خوش آمدید!", "با سپاس از همه دوستان"),
    "fi": ("Ystävyys ja yhteistyö maidemme välillä", "Tervetuloa!", "Kiitos kaikille ystäville"),
    "fr": (
        "Amitié et coopération entre nos deux pays",
        "Nous vous attendons !",
        "Merci à tous nos amis",
    ),
    "ga": (
        "Cairdeas agus comhoibriú idir ár dhá thír",
        "Fáilte romhaibh!",
        "Go raibh maith agaibh",
    ),
    "he": ("ידידות ושיתוף פעולה בין שתי מדינותינו", "ברוכים הבאים!", "תודה לכל החברים"),
    "hi": ("हमारे दोनों देशों के बीच मित्रता और सहयोग", "आप सभी का स्वागत है!", "सभी मित्रों को धन्यवाद"),
    "hu": (
        "Barátság és együttműködés két országunk között",
        "Várjuk Önöket!",
        "Köszönjük minden barátunknak",
    ),
    "id": (
        "Persahabatan dan kerja sama antara kedua negara kita",
        "Kami menantikan kehadiran Anda!",
        "Terima kasih kepada semua sahabat",
    ),
    "it": (
        "Amicizia e cooperazione tra i nostri due paesi",
        "Vi aspettiamo!",
        "Grazie a tutti gli amici",
    ),
    "ja": (
        "両国の友好と協力",
        "皆様のご参加をお待ちしております！",
        "ご支援いただいた皆様に感謝いたします",
    ),
    "kk": (
        "Екі ел арасындағы достық пен ынтымақтастық",
        "Қош келдіңіздер!",
        "Барлық достарға рахмет",
    ),
    "km": ("មិត្តភាព និងកិច្ចសហប្រតិបត្តិការរវាងប្រទេសទាំងពីរ", "សូមអញ្ជើញចូលរួម!", "សូមអរគុណមិត្តភក្តិទាំងអស់"),
    "ko": ("양국 간의 우정과 협력", "많은 참여 바랍니다!", "모든 친구들에게 감사드립니다"),
    "lo": ("ມິດຕະພາບ ແລະ ການຮ່ວມມືລະຫວ່າງສອງປະເທດ", "ຂໍເຊີນເຂົ້າຮ່ວມ!", "ຂອບໃຈໝູ່ເພື່ອນທຸກຄົນ"),
    "mi": (
        "Te whakahoahoa me te mahi tahi i waenganui i ō tātou whenua e rua",
        "Nau mai, haere mai!",
        "Ngā mihi ki ō mātou hoa katoa",
    ),
    "mn": (
        "Хоёр орны найрамдал, хамтын ажиллагаа",
        "Тавтай морилно уу!",
        "Бүх найз нартаа баярлалаа",
    ),
    "ms": (
        "Persahabatan dan kerjasama antara kedua-dua negara",
        "Dijemput hadir!",
        "Terima kasih kepada semua sahabat",
    ),
    "my": ("နှစ်နိုင်ငံ ချစ်ကြည်ရေးနှင့် ပူးပေါင်းဆောင်ရွက်မှု", "ကြိုဆိုပါသည်!", "မိတ်ဆွေအားလုံးကို ကျေးဇူးတင်ပါသည်"),
    "nl": (
        "Vriendschap en samenwerking tussen onze twee landen",
        "We verwelkomen u graag!",
        "Dank aan alle vrienden",
    ),
    "no": ("Vennskap og samarbeid mellom våre to land", "Velkommen!", "Takk til alle venner"),
    "pl": (
        "Przyjaźń i współpraca między naszymi krajami",
        "Zapraszamy!",
        "Dziękujemy wszystkim przyjaciołom",
    ),
    "pt": (
        "Amizade e cooperação entre os nossos dois países",
        "Esperamos por vocês!",
        "Obrigado a todos os amigos",
    ),
    "ro": (
        "Prietenie și cooperare între cele două țări ale noastre",
        "Vă așteptăm!",
        "Mulțumim tuturor prietenilor",
    ),
    "ru": ("Дружба и сотрудничество между нашими странами", "Ждём вас!", "Спасибо всем друзьям"),
    "si": ("අපගේ රටවල් දෙක අතර මිත්‍රත්වය සහ සහයෝගීතාවය", "සාදරයෙන් පිළිගනිමු!", "සියලු මිතුරන්ට ස්තූතියි"),
    "sk": (
        "Priateľstvo a spolupráca medzi našimi krajinami",
        "Tešíme sa na vás!",
        "Ďakujeme všetkým priateľom",
    ),
    "sv": ("Vänskap och samarbete mellan våra två länder", "Välkomna!", "Tack till alla vänner"),
    "sw": (
        "Urafiki na ushirikiano kati ya nchi zetu mbili",
        "Karibuni nyote!",
        "Asanteni marafiki wote",
    ),
    "ta": (
        "நமது இரு நாடுகளுக்கிடையேயான நட்பு மற்றும் ஒத்துழைப்பு",
        "அனைவரையும் வரவேற்கிறோம்!",
        "அனைத்து நண்பர்களுக்கும் நன்றி",
    ),
    "th": ("มิตรภาพและความร่วมมือระหว่างสองประเทศ", "ขอเชิญร่วมงาน!", "ขอบคุณเพื่อน ๆ ทุกคน"),
    "tl": (
        "Pagkakaibigan at pagtutulungan ng ating dalawang bansa",
        "Inaanyayahan namin kayo!",
        "Salamat sa lahat ng kaibigan",
    ),
    "tr": (
        "İki ülkemiz arasında dostluk ve işbirliği",
        "Sizi bekliyoruz!",
        "Tüm dostlarımıza teşekkürler",
    ),
    "uk": ("Дружба та співпраця між нашими країнами", "Чекаємо на вас!", "Дякуємо всім друзям"),
    "ur": (
        "ہمارے دونوں ممالک کے درمیان دوستی اور تعاون",
        "آپ سب کو خوش آمدید!",
        "تمام دوستوں کا شکریہ",
    ),
    "xh": (
        "Ubuhlobo nentsebenziswano phakathi kwamazwe ethu omabini",
        "Wamkelekile!",
        "Enkosi kubo bonke abahlobo",
    ),
    "zh": ("两国之间的友谊与合作", "欢迎大家参加！", "感谢各位朋友"),
    "zu": (
        "Ubungane nokubambisana phakathi kwamazwe ethu omabili",
        "Siyanamukela!",
        "Siyabonga kubo bonke abangane",
    ),
}

# theme -> (Vietnamese, English, YouTube title). Placeholders: place_vi, place_en, year, month,
# month_name, years (National Day anniversary), next_year.
THEMES: dict[str, tuple[str, str, str]] = {
    "national_day": (
        "🇻🇳 Long trọng kỷ niệm {years} năm Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam "
        "(2/9/1945 – 2/9/{year}) tại {place_vi}",
        "Celebrating {years} years of Viet Nam's National Day with friends in {place_en} 🎉",
        "Lễ kỷ niệm {years} năm Quốc khánh | Viet Nam National Day {year} in {place_en}",
    ),
    "tet": (
        "🧧 Chúc mừng năm mới! Cộng đồng người Việt tại {place_vi} vui đón Tết cổ truyền",
        "Happy Lunar New Year! Celebrating Tết with the Vietnamese community in {place_en} 🌸",
        "Xuân Quê hương {year} | Tết celebration in {place_en}",
    ),
    "trade": (
        "Diễn đàn xúc tiến thương mại & đầu tư Việt Nam – {place_vi}: nhiều cơ hội hợp tác mới 📈",
        "Viet Nam – {place_en} trade & investment forum: new opportunities for business 📈",
        "Trade & Investment Forum Viet Nam – {place_en} {year}",
    ),
    "culture": (
        "Đêm văn hóa Việt Nam tại {place_vi}: áo dài, ẩm thực & âm nhạc truyền thống 🎶",
        "A night of Vietnamese culture in {place_en}: áo dài, food & traditional music 🎶",
        "Vietnamese Culture Night in {place_en} | Đêm văn hóa Việt Nam",
    ),
    "consular": (
        "📢 THÔNG BÁO: Lịch tiếp công dân, cấp hộ chiếu & thị thực tháng {month}/{year}",
        "📢 Consular notice: passport & visa services schedule for {month_name} {year}",
        "Hướng dẫn thủ tục lãnh sự | Consular services guide {year}",
    ),
    "asean": (
        "Ngày ASEAN: Việt Nam cùng các nước ASEAN tại {place_vi} vì một Cộng đồng đoàn kết 🤝",
        "ASEAN Day: Viet Nam & ASEAN partners in {place_en} for a united Community 🤝",
        "ASEAN Family Day {year} in {place_en}",
    ),
    "visit": (
        "Đại sứ làm việc với lãnh đạo địa phương, thúc đẩy hợp tác Việt Nam – {place_vi}",
        "The Ambassador met local leaders to boost Viet Nam – {place_en} cooperation",
        "Ambassador's visit | Viet Nam – {place_en} cooperation",
    ),
    "education": (
        "Học bổng & giao lưu sinh viên Việt Nam – {place_vi} năm học {year}–{next_year} 🎓",
        "Scholarships & student exchanges between Viet Nam and {place_en} 🎓",
        "Study in Viet Nam | Scholarships {year}–{next_year}",
    ),
    "tourism": (
        "Khám phá Việt Nam – điểm đến an toàn, thân thiện 🌏 Hạ Long, Hội An, Sa Pa…",
        "Discover Viet Nam 🌏 Ha Long Bay, Hoi An & Sa Pa are waiting for you",
        "Discover Viet Nam 🌏 Travel guide {year}",
    ),
    "community": (
        "Gặp mặt bà con người Việt tại {place_vi} – gắn kết & sẻ chia ❤️",
        "Meeting the Vietnamese community in {place_en} – together & united ❤️",
        "Cộng đồng người Việt tại {place_vi} | Vietnamese community in {place_en}",
    ),
}
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
AMBASSADOR_PREFIX = ("Tôi rất vui được chia sẻ: ", "Honoured to share: ")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
# First day of Tết (Lunar New Year), for the seasonal themes.
TET = {
    2023: date(2023, 1, 22), 2024: date(2024, 2, 10), 2025: date(2025, 1, 29),
    2026: date(2026, 2, 17), 2027: date(2027, 2, 6), 2028: date(2028, 1, 26),
}  # fmt: skip
MAX_X_LENGTH = 280


@dataclass(frozen=True)
class Place:
    """How a mission's posts name where it is."""

    vi: str  # e.g. "Nhật Bản"
    en: str  # e.g. "Japan"
    tag: str  # hashtag without '#', e.g. "Japan"
    languages: tuple[str, ...]  # host languages that have phrases, registry order


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
    if theme == "asean" or rng.random() < 0.15:
        tags.append("#ASEAN")
    if theme == "tet":
        tags.append("#Tết")
    if rng.random() < 0.3:
        tags.append("#VNDiplomacy")
    return " ".join(tags)


def post_text(
    rng: random.Random, place: Place, theme: str, day: date, platform: str, ambassador: bool
) -> str:
    """A post's text: Vietnamese, host-language and English lines in one of a few layouts."""
    vi, en, _ = THEMES[theme]
    fields = _fields(place, day)
    vi, en = vi.format(**fields), en.format(**fields)
    if ambassador:
        vi, en = AMBASSADOR_PREFIX[0] + vi, AMBASSADOR_PREFIX[1] + en
    host = None
    if place.languages:
        lang = place.languages[rng.randrange(len(place.languages))]
        host = HOST_PHRASES[lang][rng.randrange(3)]
    roll = rng.random()
    if platform == "x":
        # X is brief: one language or two, rarely three.
        if roll < 0.4:
            parts = [en]
        elif roll < 0.75:
            parts = [vi, en]
        elif host and roll < 0.9:
            parts = [host, en]
        else:
            parts = [vi]
    elif roll < 0.45 and host:
        parts = [vi, host, en]
    elif roll < 0.7:
        parts = [vi, en]
    elif roll < 0.85 and host:
        parts = [host, en]
    else:
        parts = [en]
    multiline = rng.random() < (0.15 if platform == "x" else 0.4)
    body = ("\n\n" if multiline else " ").join(parts)
    text = f"{body}{chr(10) if multiline else ' '}{_hashtags(place, theme, rng)}"
    if platform == "x" and len(text) > MAX_X_LENGTH:
        text = text[: MAX_X_LENGTH - 1].rstrip() + "…"
    return text


def video_title(place: Place, theme: str, day: date) -> str:
    """A YouTube video or Facebook video title."""
    return THEMES[theme][2].format(**_fields(place, day))[:100]
