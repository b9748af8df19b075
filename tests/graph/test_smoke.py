from tests.conftest import GraphQL


async def test_viewer_names_the_client(gql: GraphQL) -> None:
    data = await gql.data("PROCUREMENT", "query { viewer { name audience } }")
    assert data == {"viewer": {"name": "procurement", "audience": "PROCUREMENT"}}
