"""The domain's names, at the bottom of the layers (store → connectors → metrics → ui → pages):
the platforms, and the metric names the store's tables hold. Every layer reads them from here.
"""

PLATFORMS = ("facebook", "instagram", "x", "youtube", "tiktok", "linkedin")

# Account-level daily metric names used in `DailyValue.metric` (store table account_daily).
DAILY_METRICS = {
    "followers": "follower total at the end of the day (a known total)",
    "new_follows": "gross new followers / page likes / subscribers gained that day",
    "unfollows": "followers lost that day",
    "net_follows": "net change of followers that day, from a net series (YouTube Subscribers)",
    "impressions": "impressions that day",
    "reach": "accounts reached that day (Meta 'Viewers', Facebook 'Daily Total Reach')",
    "views": "views that day (Meta 'Views', YouTube 'Views')",
    "engagements": "the platform's own engagements / content interactions that day",
    "reactions": "likes / reactions that day",
    "comments": "comments / replies that day",
    "shares": "shares / reposts that day",
    "posts_published": "posts published that day, as the platform counts them",
    "profile_visits": "profile or page visits that day",
    "link_clicks": "link clicks that day",
    "watch_time_hours": "YouTube watch time that day, in hours",
    "video_views": "video views that day (TikTok 'Video views')",
    "viewers": "unique viewers that day (TikTok 'Total Viewers')",
    "saves": "saves / favourites that day",
}

# Audience breakdowns (store table audience): what a share or count is of.
AUDIENCE_DIMENSIONS = (
    "country",
    "city",
    "gender",
    "age",
    "age_gender",
    "language",
    "hour",  # when followers are online (TikTok FollowerActivity)
    "other",
)
AUDIENCE_KINDS = ("followers", "viewers", "reach", "video_views", "page_views")

# Per-post daily metric names (store table post_daily).
POST_DAILY_METRICS = {"views": "views of the post that day"}

# Mission kinds that represent Viet Nam to an international organisation, not to the country
# they sit in (data/registry/README.md: `country` is only their seat): the map of host countries
# leaves them out, and the Compare page can show them apart.
MULTILATERAL_KINDS = ("permanent_mission",)
