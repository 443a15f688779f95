"""lava_yaml: the block YAML of job definitions, and LAVA's job log (against a log a real LAVA
wrote)."""
from __future__ import annotations

import os
import unittest

import yaml

from lava_yaml import YamlError, dump, read_job_log, target_text

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata", "lava",
                       "mps2-an386.job.log.yaml")


class DumpTest(unittest.TestCase):
    JOB = {"device_type": "qemu", "context": {"arch": "arm", "memory": 16, "extra": ["-a b,c"]},
           "actions": [{"test": {"monitors": [{"name": "a b", "start": r'\{"library": ' + "x" * 90,
                                               "fixupdict": {"true": "pass"}}]}}],
           "empty": [], "flag": True, "quote": "it's\n", "word": "yes"}

    def test_reads_back_as_written_in_the_jobs_order(self) -> None:
        text = dump(self.JOB)
        self.assertEqual(yaml.safe_load(text), self.JOB)
        self.assertEqual([line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()],
                         list(self.JOB))

    def test_a_long_pattern_stays_on_its_line(self) -> None:
        self.assertIn("start: '\\{\"library\": " + "x" * 90 + "'\n", dump(self.JOB))


class JobLogTest(unittest.TestCase):
    def setUp(self) -> None:
        with open(FIXTURE, encoding="utf-8") as f:
            self.text = f.read()

    def test_a_real_log(self) -> None:
        entries = read_job_log(self.text)
        targets = [target_text(e.msg) for e in entries if e.lvl == "target"]
        self.assertTrue(targets[0].startswith('{"library": "wolfssl", "version": "5.7.2"'))
        self.assertEqual(targets[1], '{"none": 1956520, "client": 16980261, "server": 16989695,'
                         ' "markers": 28}')
        job = [e.msg for e in entries if e.lvl == "results" and e.msg.get("case") == "job"]
        self.assertEqual(job, [{"case": "job", "definition": "lava", "result": "pass"}])

    def test_a_non_specific_tag_reads_as_plain(self) -> None:
        # LAVA writes numbers of its results so: ! "1994408"
        [entry] = read_job_log('- {"dt": "x", "lvl": "results", "msg": {"size": ! "1994408"}}')
        self.assertEqual(entry.msg, {"size": 1994408})

    def test_not_a_raw_log(self) -> None:
        for text, what in (("2026-12-05T21:19:49 Boot command: qemu\n", "line 1: not a LAVA job"),
                           ("- id: '1'\n  job: '1'\n", "line 1: not a LAVA job"),
                           ('- {"dt": "x", "lvl": "info"}\n', "line 1: an entry without"),
                           ("\n", "no log entries"), ('- {"dt": "x\n', "line 1: found unexpected end")):
            with self.subTest(text=text), self.assertRaisesRegex(YamlError, what):
                read_job_log(text)

    def test_target_text_undoes_lavas_escaping(self) -> None:
        # LAVA's ShellLogger puts a backslash before every '"' of the device's output.
        for original in ('{"a": "b"}', r'{"path": "C:\\x", "q": "say \"hi\""}'):
            self.assertEqual(target_text(original.replace('"', '\\"')), original)


if __name__ == "__main__":
    unittest.main()
