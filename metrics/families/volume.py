"""Volume: how much the accounts published."""

from metrics.kpi import KPI, register

register(
    KPI(
        name="posts",
        family="volume",
        unit="count",
        higher_is_better=True,
        description_en=(
            "Posts published in the period (by local publish date). 0 when the accounts have "
            "post data but no post in the period; unknown when none of them has post data."
        ),
        formula="count of posts with published_date in [start, end]",
        source="posts",
        # bool_or(...) is NULL for a group of accounts without any post-level data: unknown.
        sql="CASE WHEN bool_or(has_post_data) THEN count(post_id) END",
        order=10,
    ),
    KPI(
        name="posts_per_week",
        family="volume",
        unit="rate",
        higher_is_better=True,
        description_en="Posts per week: the posts of the period divided by its length in weeks.",
        formula="posts / (days in window / 7)",
        source="posts",
        sql="{posts} / ($days / 7.0)",
        order=140,
    ),
)
