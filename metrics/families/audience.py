"""Audience: how many people follow the accounts, how that changed, and how engaged they are."""

from metrics.kpi import KPI, register

# er_followers' per-post term, over the columns of the `posts` source: a post's interactions over
# its account's follower total on its day, for the posts where both are known (and the total is
# not 0). The KPI averages it; the best time to post (metrics/content.py) takes its median per
# weekday and hour: one definition for both.
ER_FOLLOWERS_POST = "interactions / followers_at_post"
ER_FOLLOWERS_KNOWN = "interactions IS NOT NULL AND followers_at_post > 0"

register(
    KPI(
        name="followers_end",
        family="audience",
        unit="count",
        higher_is_better=True,
        description_en=(
            "Followers at the end of the period: per account, the last known total (reported or "
            "rebuilt) on or before the end date, summed over the accounts that have one."
        ),
        formula="Σ over accounts of the last known follower total on or before end",
        source="accounts",
        sql="sum(followers_end)",
        order=110,
    ),
    KPI(
        name="net_follows",
        family="audience",
        unit="count",
        higher_is_better=True,
        description_en=(
            "Net change of followers in the period: per account and day, new follows minus "
            "unfollows, else the net change series, else the change of known totals; summed "
            "over the days where it is known."
        ),
        formula=(
            "Σ over accounts and days in [start, end] of: new_follows − unfollows (both "
            "reported), else net_follows (net series), else total(d) − total(d − 1)"
        ),
        source="account_days",
        sql="sum(net_follows)",
        order=120,
    ),
    KPI(
        name="er_followers",
        family="audience",
        unit="ratio",
        higher_is_better=True,
        description_en=(
            "Engagement rate by followers: the mean, over posts with known interactions, of a "
            "post's interactions divided by its account's follower total on the day it was "
            "published."
        ),
        formula=(
            "mean over posts with interactions known of interactions / followers_at_post, "
            "followers_at_post = the account's last known total on or before the post's date "
            "(posts without one, or with 0, are left out)"
        ),
        source="posts",
        sql=f"avg({ER_FOLLOWERS_POST}) FILTER (WHERE {ER_FOLLOWERS_KNOWN})",
        order=130,
    ),
)
