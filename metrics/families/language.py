"""Language: whether a mission speaks to its host country in the host country's languages, and
whether that works.

Every KPI here reads the post's `language` (ISO 639-1, NULL when undetermined) and
`host_language` (TRUE / FALSE; NULL when undetermined or the mission has no host language) of
the `posts` source, both from the view `post_inputs` (data/schema.sql: the host-language rule
is written there once) over `post_languages` (data/languages.py: how a language is decided).
Posts whose language is undetermined are left out of every ratio here, in both numerator and
denominator: they are neither host-language posts nor others.
"""

from metrics.kpi import KPI, register

# Interactions per post on each side of the lift: over the posts whose interactions are known.
_HOST = "host_language AND interactions IS NOT NULL"
_OTHER = "NOT host_language AND interactions IS NOT NULL"

register(
    KPI(
        name="host_language_share",
        family="language",
        unit="ratio",
        higher_is_better=True,
        description_en=(
            "Share of the posts with a determined language that are in one of the mission's "
            "host languages (the registry's languages of the mission, Vietnamese excepted)."
        ),
        formula=(
            "posts in a host language / posts with a determined language, over the posts of "
            "missions that have a host language"
        ),
        source="posts",
        sql=("count(host_language) FILTER (WHERE host_language) / nullif(count(host_language), 0)"),
        order=150,
    ),
    KPI(
        name="vietnamese_share",
        family="language",
        unit="ratio",
        higher_is_better=True,
        description_en="Share of the posts with a determined language that are in Vietnamese.",
        formula="posts in Vietnamese / posts with a determined language",
        source="posts",
        sql="count(language) FILTER (WHERE language = 'vi') / nullif(count(language), 0)",
        order=160,
    ),
    KPI(
        name="english_share",
        family="language",
        unit="ratio",
        higher_is_better=True,
        description_en="Share of the posts with a determined language that are in English.",
        formula="posts in English / posts with a determined language",
        source="posts",
        sql="count(language) FILTER (WHERE language = 'en') / nullif(count(language), 0)",
        order=170,
    ),
    KPI(
        name="host_language_lift",
        family="language",
        # A multiple (1.4 = host-language posts draw 1.4 times the interactions of the others),
        # not a share: shown with one decimal, and it changes relatively, as a rate does.
        unit="rate",
        higher_is_better=True,
        description_en=(
            "Interactions per post in the mission's host languages divided by interactions per "
            "post in its other determined languages; unknown when either side has no post."
        ),
        formula=(
            "(Σ interactions / posts, over host-language posts) / (Σ interactions / posts, over "
            "posts in another determined language), posts with interactions known; unknown when "
            "either side has no post or the other side's interactions per post are 0"
        ),
        source="posts",
        sql=(
            f"(sum(interactions) FILTER (WHERE {_HOST}) "
            f"/ nullif(count(interactions) FILTER (WHERE {_HOST}), 0)) "
            f"/ nullif(sum(interactions) FILTER (WHERE {_OTHER}) "
            f"/ nullif(count(interactions) FILTER (WHERE {_OTHER}), 0), 0)"
        ),
        order=180,
    ),
)
