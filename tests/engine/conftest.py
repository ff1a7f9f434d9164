from tests.spark.session import engine, spark

__all__ = ["engine", "spark"]
