"""The test cluster itself: a real server on loopback, one empty database per test."""
import psycopg


def test_each_test_gets_an_empty_database_of_a_real_server(pg_url, postgres_cluster):
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                            ).fetchone()[0] == 0
        assert conn.info.host == "127.0.0.1"
        assert conn.info.port == postgres_cluster.port
    assert pg_url != postgres_cluster.new_database()
