"""``kechuang bench retrieval|classify``: run the matching benchmarks on JSONL files."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kechuang.matching.engine.bench import BenchInputError, run_classify, run_retrieval


class Command(BaseCommand):
    help = "匹配引擎基准测试：retrieval（检索排序）或 classify（领域分类）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="task", required=True, parser_class=argparse.ArgumentParser
        )
        r = sub.add_parser("retrieval", help="建索引并对每条查询输出排序结果")
        r.add_argument("--corpus", required=True, help="语料 JSONL")
        r.add_argument("--queries", required=True, help="查询 JSONL")
        r.add_argument("--top-k", type=int, default=10, dest="top_k", help="每条查询返回条数")
        r.add_argument("--out", required=True, help="输出的排序结果 JSONL")
        r.add_argument("--embedding-model", dest="embedding_model", default=None,
                       help="可选：本地 sentence-transformers 语义模型目录（与产品的 "
                            "KECHUANG_EMBEDDING_MODEL 相同），其向量计算计入建索引用时")
        c = sub.add_parser("classify", help="训练领域分类器并预测")
        c.add_argument("--train", required=True, help="训练 JSONL")
        c.add_argument("--test", required=True, help="测试 JSONL")
        c.add_argument("--out", required=True, help="输出的预测 JSONL")

    def handle(self, *args: Any, **options: Any) -> None:
        echo = self.stdout.write
        try:
            if options["task"] == "retrieval":
                run_retrieval(options["corpus"], options["queries"], options["top_k"],
                              options["out"], echo=echo,
                              embedding_model=options.get("embedding_model"))
            else:
                run_classify(options["train"], options["test"], options["out"], echo=echo)
        except BenchInputError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"无法读写文件：{exc}") from exc
