"""The demo newsroom's articles: the sample wire story, its later update, two wire copies on other
outlets, and unrelated stories, some of which mention Russia or Korea without being about
military ties (the near-misses a topic must not fire on). A Korean-language and a Russian-language
outlet carry their own reports of the story (and a near-miss each), written for the demo.

All outlets are fictional and served from 127.0.0.1. Phase 1 is the morning the story broke;
phase 2 publishes the update of the sample article (and nothing else changes), so a second cycle
stores exactly one new version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

_HERE = Path(__file__).resolve().parent
SGT = timezone(timedelta(hours=8))


def _sample_paragraphs() -> list[str]:
    text = (_HERE / "articles" / "kim-russia-trip.txt").read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]


@dataclass(frozen=True)
class DemoArticle:
    outlet: str  # key into OUTLETS
    slug: str
    headline: str
    published: datetime
    paragraphs: tuple[str, ...]
    section: str = "world"
    authors: tuple[str, ...] = ()
    updated: datetime | None = None
    # Phases in which this article is listed (1: first cycle, 2: after the update).
    phases: frozenset[int] = field(default_factory=lambda: frozenset({1, 2}))

    @property
    def path(self) -> str:
        return f"/{self.section}/{self.published:%Y/%m/%d}/{self.slug}"


@dataclass(frozen=True)
class Outlet:
    key: str
    name: str
    # How the outlet lists its articles: "rss", "news-sitemap" or "section".
    listing: str
    language: str = "en"
    # A guest outlet is served under ``prefix`` on the port of outlet ``host`` (the demo keeps
    # one port per outlet in OUTLETS, which the Makefile and the demo's environment list).
    host: str | None = None
    prefix: str = ""


OUTLETS: dict[str, Outlet] = {
    "straits": Outlet("straits", "The Straits Daily", "rss"),
    "pacific": Outlet("pacific", "Pacific Wire Review", "news-sitemap"),
    "harbour": Outlet("harbour", "Harbour City Herald", "section"),
}
GUEST_OUTLETS: dict[str, Outlet] = {
    "hanbando": Outlet("hanbando", "한반도신문 Hanbando Sinmun", "rss", "ko", host="pacific", prefix="/ko"),
    "vostok": Outlet("vostok", "Восточный курьер", "news-sitemap", "ru", host="harbour", prefix="/ru"),
}
ALL_OUTLETS: dict[str, Outlet] = {**OUTLETS, **GUEST_OUTLETS}
KST = timezone(timedelta(hours=9))
MSK = timezone(timedelta(hours=3))

_SAMPLE = _sample_paragraphs()
_PUBLISHED = datetime(2023, 9, 18, 6, 12, tzinfo=SGT)

UPDATE_PARAGRAPH = (
    "On Monday (Sept 18), the Kremlin said Mr Putin had accepted the invitation in principle, "
    "while officials in Seoul and Tokyo said they would watch closely for any transfer of weapons "
    "or military technology between Moscow and Pyongyang."
)


def _sample_article(phase: int) -> DemoArticle:
    paragraphs = list(_SAMPLE)
    updated = datetime(2023, 9, 18, 9, 40, tzinfo=SGT)
    if phase >= 2:
        paragraphs.insert(len(paragraphs) - 1, UPDATE_PARAGRAPH)
        updated = datetime(2023, 9, 18, 17, 5, tzinfo=SGT)
    return DemoArticle(
        outlet="straits",
        slug="north-koreas-leader-wraps-up-russia-trip-with-drones-gift",
        headline="North Korea's leader wraps up Russia trip with drones gift",
        published=_PUBLISHED,
        updated=updated,
        paragraphs=tuple(paragraphs),
    )


def _wire_copy_verbatim() -> DemoArticle:
    return DemoArticle(
        outlet="pacific",
        slug="kim-jong-un-leaves-russia-with-drones-and-bulletproof-vest",
        headline="Kim Jong Un leaves Russia with drones and a bulletproof vest",
        published=datetime(2023, 9, 18, 7, 30, tzinfo=SGT),
        paragraphs=tuple(_SAMPLE),
        authors=("Agence France-Presse",),
    )


def _wire_copy_rewritten() -> DemoArticle:
    paragraphs = list(_SAMPLE)
    paragraphs[0] = (
        "MOSCOW — Kim Jong Un left Russia on Sunday (Sept 17) after a rare six-day visit that "
        "appeared to solidify North Korea's ties with President Vladimir Putin, fanning Western "
        "fears that Pyongyang could provide Moscow with weapons for its assault on Ukraine."
    )
    del paragraphs[7]  # the walrus show did not make this edit
    return DemoArticle(
        outlet="harbour",
        slug="kim-ends-russia-visit",
        headline="Kim ends six-day Russia visit as military ties deepen",
        published=datetime(2023, 9, 18, 8, 5, tzinfo=SGT),
        paragraphs=tuple(paragraphs),
        authors=("Harbour City Herald staff", "AFP"),
    )


_NEAR_MISSES = (
    DemoArticle(
        outlet="straits",
        slug="russia-edge-south-korea-in-ice-hockey-friendly",
        headline="Russia edge South Korea in ice hockey friendly",
        section="sport",
        published=datetime(2023, 9, 17, 21, 0, tzinfo=SGT),
        authors=("Lim Wei Ling",),
        paragraphs=(
            "VLADIVOSTOK — Russia beat South Korea 3-2 in an ice hockey friendly on Sunday, with "
            "a late goal deciding a match that both coaches described as ideal preparation.",
            "The Korean side, which has climbed the world rankings steadily, led for most of the "
            "second period before Russia's forwards found space on the power play.",
            "Both teams will meet again in November in Seoul, the organisers said, adding that "
            "ticket sales had exceeded expectations.",
        ),
    ),
    DemoArticle(
        outlet="straits",
        slug="typhoon-brings-heavy-rain-to-korean-peninsula",
        headline="Typhoon brings heavy rain to Korean peninsula and Russia's Far East",
        section="asia",
        published=datetime(2023, 9, 17, 14, 0, tzinfo=SGT),
        paragraphs=(
            "SEOUL — A typhoon brought heavy rain and strong winds to the Korean peninsula on "
            "Sunday before moving north towards Russia's Primorye region.",
            "Weather agencies in both Koreas issued warnings for flooding and landslides, and "
            "ferry services between Busan and the island of Jeju were suspended.",
            "Forecasters in Vladivostok said the storm would weaken over land by Tuesday.",
        ),
    ),
    DemoArticle(
        outlet="harbour",
        slug="south-korea-chip-exports-rebound",
        headline="South Korea's chip exports rebound as demand recovers",
        section="business",
        published=datetime(2023, 9, 18, 10, 0, tzinfo=SGT),
        authors=("Daniel Cho",),
        paragraphs=(
            "SEOUL — South Korea's semiconductor exports rose for the first time in a year in "
            "early September, data showed on Monday, as demand for memory chips recovered.",
            "Shipments to China and the United States both increased, while the trade ministry "
            "said energy imports, including from Russia before sanctions, had fallen sharply.",
            "Economists expect the central bank to keep interest rates unchanged next month.",
        ),
    ),
    DemoArticle(
        outlet="pacific",
        slug="singapore-opens-new-rail-line",
        headline="Singapore opens new stretch of Thomson-East Coast rail line",
        section="singapore",
        published=datetime(2023, 9, 18, 5, 0, tzinfo=SGT),
        paragraphs=(
            "SINGAPORE — Seven new stations on the Thomson-East Coast Line opened to passengers on "
            "Sunday, cutting travel times between the east coast and the city centre.",
            "The transport minister said the line would carry about 100,000 passengers a day "
            "once fully running.",
        ),
    ),
)


_OTHER_LANGUAGES = (
    DemoArticle(
        outlet="hanbando",
        slug="kim-returns-from-russia",
        headline="김정은, 러시아 방문 마치고 귀국…군사협력 확대 우려",
        published=datetime(2023, 9, 18, 9, 30, tzinfo=KST),
        authors=("박서연",),
        paragraphs=(
            "김정은 북한 국무위원장이 엿새 동안의 러시아 방문을 마치고 17일 귀국길에 올랐다고 "
            "조선중앙통신이 18일 보도했다.",
            "김 위원장은 방문 기간 블라디미르 푸틴 러시아 대통령과 정상회담을 열고 극동 지역의 "
            "전투기 공장과 군사 시설을 둘러본 것으로 알려졌다.",
            "한국과 미국 정부는 북한이 러시아에 포탄 등 무기를 제공하고 그 대가로 군사기술을 "
            "넘겨받을 가능성을 주시하고 있다.",
            "러시아 측은 양국 관계가 새로운 단계에 들어섰다고 밝혔지만 구체적인 합의 내용은 공개하지 않았다.",
        ),
    ),
    DemoArticle(
        outlet="hanbando",
        slug="north-korea-women-beat-russia",
        headline="북한 여자축구, 러시아 꺾고 결승 진출",
        section="sport",
        published=datetime(2023, 9, 17, 20, 0, tzinfo=KST),
        paragraphs=(
            "북한 여자축구 대표팀이 17일 평양에서 열린 친선대회 준결승에서 러시아를 3-1로 이겼다.",
            "북한은 결승에서 베트남과 맞붙는다. 러시아 감독은 선수들이 끝까지 잘 싸웠다고 말했다.",
        ),
    ),
    DemoArticle(
        outlet="vostok",
        slug="kim-jong-un-zavershil-vizit",
        headline="Ким Чен Ын завершил визит в Россию",
        published=datetime(2023, 9, 18, 8, 0, tzinfo=MSK),
        authors=("Анна Сорокина",),
        paragraphs=(
            "Руководитель КНДР Ким Чен Ын завершил шестидневный визит в Россию и отбыл из Приморья "
            "на бронепоезде, сообщили в администрации края.",
            "В ходе поездки он провел переговоры с Владимиром Путиным на космодроме Восточный, посетил "
            "авиационный завод в Комсомольске-на-Амуре и осмотрел корабли Тихоокеанского флота.",
            "Западные правительства опасаются, что Пхеньян может поставлять России артиллерийские "
            "снаряды в обмен на военные технологии.",
            "В Кремле заявили, что Москва развивает сотрудничество с КНДР в соответствии с "
            "международными обязательствами.",
        ),
    ),
    DemoArticle(
        outlet="vostok",
        slug="tayfun-v-primorye",
        headline="Тайфун принес ливни в Приморье и КНДР",
        section="weather",
        published=datetime(2023, 9, 17, 12, 0, tzinfo=MSK),
        paragraphs=(
            "Тайфун, пришедший с юга, вызвал сильные дожди во Владивостоке и в северных районах КНДР.",
            "Синоптики России ожидают, что к вторнику шторм ослабнет над сушей.",
        ),
    ),
)


def articles_for_phase(phase: int) -> list[DemoArticle]:
    """Every article the newsroom lists in ``phase`` (1 = first cycle, 2 = after the update)."""
    items = [
        _sample_article(phase),
        _wire_copy_verbatim(),
        _wire_copy_rewritten(),
        *_NEAR_MISSES,
        *_OTHER_LANGUAGES,
    ]
    return [a for a in items if phase in a.phases]
