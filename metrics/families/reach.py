"""Reach: how many people and screens the posts reached."""

from metrics.kpi import KPI, NO_POSTS, register

register(
    KPI(
        name="reach",
        family="reach",
        unit="count",
        higher_is_better=True,
        description_en=(
            "Reach of the posts of the period (people or accounts reached, per post, summed: "
            "one person reached by two posts counts twice)."
        ),
        formula="Σ reach over the posts of the period",
        source="posts",
        sql="sum(reach)",
        known_if=NO_POSTS,
        order=60,
    ),
    KPI(
        name="impressions",
        family="reach",
        unit="count",
        higher_is_better=True,
        description_en="Impressions (times shown on screen) of the posts of the period.",
        formula="Σ impressions over the posts of the period",
        source="posts",
        sql="sum(impressions)",
        known_if=NO_POSTS,
        order=70,
    ),
    KPI(
        name="video_views",
        family="reach",
        unit="count",
        higher_is_better=True,
        description_en="Video views of the posts of the period.",
        formula="Σ video_views over the posts of the period",
        source="posts",
        sql="sum(video_views)",
        known_if=NO_POSTS,
        order=80,
    ),
)
