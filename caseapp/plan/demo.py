"""Demo seeding of the plan (placeholder replaced below)."""


def seed(*, staff: dict, count: int, seed: int) -> list[str]:
    return []
