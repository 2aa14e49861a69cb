"""Engagement: what people did with the posts (reactions, comments, shares) and how often
relative to the people the posts reached."""

from metrics.kpi import KPI, NO_POSTS, register

# Engagement rates only count posts that carry both inputs, so a post whose reach the export
# does not give neither inflates nor dilutes the rate.
_BOTH_REACH = "interactions IS NOT NULL AND reach > 0"
_BOTH_IMPRESSIONS = "interactions IS NOT NULL AND impressions > 0"

register(
    KPI(
        name="reactions",
        family="engagement",
        unit="count",
        higher_is_better=True,
        description_en="Reactions (likes) on the posts of the period, latest snapshot per post.",
        formula="Σ reactions over the posts of the period",
        source="posts",
        sql="sum(reactions)",
        known_if=NO_POSTS,
        order=20,
    ),
    KPI(
        name="comments",
        family="engagement",
        unit="count",
        higher_is_better=True,
        description_en="Comments (replies) on the posts of the period, latest snapshot per post.",
        formula="Σ comments over the posts of the period",
        source="posts",
        sql="sum(comments)",
        known_if=NO_POSTS,
        order=30,
    ),
    KPI(
        name="shares",
        family="engagement",
        unit="count",
        higher_is_better=True,
        description_en="Shares (reposts) of the posts of the period, latest snapshot per post.",
        formula="Σ shares over the posts of the period",
        source="posts",
        sql="sum(shares)",
        known_if=NO_POSTS,
        order=40,
    ),
    KPI(
        name="interactions",
        family="engagement",
        unit="count",
        higher_is_better=True,
        description_en=(
            "Reactions + comments + shares of the posts of the period. Saves, bookmarks and "
            "clicks are not interactions."
        ),
        formula=(
            "Σ over posts of (reactions + comments + shares), each post counting the components "
            "it knows and being unknown when all three are"
        ),
        source="posts",
        sql="sum(interactions)",
        known_if=NO_POSTS,
        order=50,
    ),
    KPI(
        name="er_reach",
        family="engagement",
        unit="ratio",
        higher_is_better=True,
        description_en=(
            "Engagement rate by reach: interactions divided by reach, over the posts whose "
            "interactions and reach are both known."
        ),
        formula="Σ interactions / Σ reach, over posts with interactions known and reach > 0",
        source="posts",
        sql=(
            f"sum(interactions) FILTER (WHERE {_BOTH_REACH}) "
            f"/ sum(reach) FILTER (WHERE {_BOTH_REACH})"
        ),
        order=90,
    ),
    KPI(
        name="er_impressions",
        family="engagement",
        unit="ratio",
        higher_is_better=True,
        description_en=(
            "Engagement rate by impressions: interactions divided by impressions, over the posts "
            "whose interactions and impressions are both known."
        ),
        formula=(
            "Σ interactions / Σ impressions, over posts with interactions known and impressions > 0"
        ),
        source="posts",
        sql=(
            f"sum(interactions) FILTER (WHERE {_BOTH_IMPRESSIONS}) "
            f"/ sum(impressions) FILTER (WHERE {_BOTH_IMPRESSIONS})"
        ),
        order=100,
    ),
)
