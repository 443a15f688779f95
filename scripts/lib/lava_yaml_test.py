"""lava_yaml: the block YAML of job definitions, and LAVA's job log read without a YAML library
(against a log a real LAVA wrote, and PyYAML's reading of it where PyYAML is installed)."""
from __future__ import annotations

import os
import unittest

from lava_yaml import YamlError, dump, parse_flow, read_job_log, target_text

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata", "lava",
                       "mps2-an386.job.log.yaml")
try:
    import yaml  # type: ignore[import]
except ImportError:  # not among the project's packages: the cross-checks say so and skip
    yaml = None


class DumpTest(unittest.TestCase):
    JOB = {"device_type": "qemu", "context": {"arch": "arm", "memory": 16, "extra": ["-a b,c"]},
           "actions": [{"test": {"monitors": [{"name": "a b", "start": r'\{"library": ',
                                               "fixupdict": {"true": "pass"}}]}}],
           "empty": [], "flag": True, "quote": "it's\n", "word": "yes"}

    def test_block_yaml(self) -> None:
        self.assertEqual(dump(self.JOB), "\n".join([
            "device_type: qemu", "context:", "  arch: arm", "  memory: 16", "  extra:",
            "    - '-a b,c'", "actions:", "  - test:", "      monitors:", "        - name: 'a b'",
            "          start: '\\{\"library\": '", "          fixupdict:",
            "            'true': pass", "empty: []", "flag: true", "quote: \"it's\\n\"",
            "word: 'yes'", ""]))

    @unittest.skipIf(yaml is None, "python3-yaml not installed (apt-get install python3-yaml)")
    def test_pyyaml_reads_what_dump_writes(self) -> None:
        self.assertEqual(yaml.safe_load(dump(self.JOB)), self.JOB)


class FlowTest(unittest.TestCase):
    def test_scalars_and_collections(self) -> None:
        self.assertEqual(parse_flow('{"a": [1, 2.5, true, null], b: \'it\'\'s\', "c": x y}'),
                         {"a": [1, 2.5, True, None], "b": "it's", "c": "x y"})

    def test_double_quoted_escapes(self) -> None:
        self.assertEqual(parse_flow(r'"q\" b\\ t\t e\e x\x41 u\u00e9"'), 'q" b\\ t\t e\x1b xA u\u00e9')

    def test_a_non_specific_tag_reads_as_plain(self) -> None:
        # LAVA writes numbers of its results so: ! "1994408"
        self.assertEqual(parse_flow('{"size": ! "1994408", "m": ! "1.5", "s": ! "abc"}'),
                         {"size": 1994408, "m": 1.5, "s": "abc"})

    def test_bad_flow_says_where(self) -> None:
        for text, what in (('{"a" 1}', "':' expected"), ('"open', "unterminated"),
                           ('{"a": 1', "',' or '}' expected"), (r'"\q"', "unknown escape"),
                           ("{} x", "text after")):
            with self.subTest(text=text), self.assertRaisesRegex(YamlError, what):
                parse_flow(text)


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

    @unittest.skipIf(yaml is None, "python3-yaml not installed (apt-get install python3-yaml)")
    def test_as_pyyaml_reads_it(self) -> None:
        expected = yaml.safe_load(self.text)
        self.assertEqual([(e.dt, e.lvl, e.msg) for e in read_job_log(self.text)],
                         [(str(e["dt"]), e["lvl"], e["msg"]) for e in expected])

    def test_not_a_raw_log(self) -> None:
        for text, what in (("2026-12-05T21:19:49 Boot command: qemu\n", "line 1: not a LAVA job"),
                           ("- id: '1'\n  job: '1'\n", "line 1: not a LAVA job"),
                           ('- {"dt": "x", "lvl": "info"}\n', "line 1: an entry without"),
                           ("\n", "no log entries"), ('- {"dt": "x\n', "line 1: an unterminated")):
            with self.subTest(text=text), self.assertRaisesRegex(YamlError, what):
                read_job_log(text)

    def test_target_text_undoes_lavas_escaping(self) -> None:
        # LAVA's ShellLogger puts a backslash before every '"' of the device's output.
        for original in ('{"a": "b"}', r'{"path": "C:\\x", "q": "say \"hi\""}'):
            self.assertEqual(target_text(original.replace('"', '\\"')), original)


if __name__ == "__main__":
    unittest.main()
