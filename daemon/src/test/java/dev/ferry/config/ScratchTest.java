package dev.ferry.config;

import org.junit.jupiter.api.Test;

class ScratchTest {
    static final String R = "receive:\n  listen: 0.0.0.0:7878\n  token-file: /etc/ferry/token\n  folders:\n    photos:\n      path: /srv/ferry/photos\n";
    @Test
    void print() throws Exception {
        String[] cases = {
            "recieve:\n  listen: x\n",
            R + "  folderz: 1\n",
            R.replace("listen", "listn"),
            R + "  max-connections: lots\n",
            R + "  max-connections: 0\n",
            R + "  max-connections: 99999999999999999999\n",
            R + "  max-connections: 1.5\n",
            "receive:\n  listen: 0.0.0.0:7878\n  token-file: /etc/ferry/token\n  folders: [a, b]\n",
            "receive:\n  listen: 0.0.0.0:7878\n  token-file: /etc/ferry/token\n  folders: {}\n",
            "receive:\n  listen: 0.0.0.0:7878\n  token-file: /etc/ferry/token\n  folders:\n    photos: /srv/ferry/photos\n",
            "receive:\n  listen: 0.0.0.0:7878\n  token-file: /etc/ferry/token\n  folders:\n    .hidden:\n      path: /srv/ferry/photos\n",
            "receive:\n  token-file: /etc/ferry/token\n  folders:\n    photos:\n      path: /srv/ferry/photos\n",
            R.replace("/srv/ferry/photos", "/srv/ferry/nope"),
            R.replace("/srv/ferry/photos", "/etc/ferry/token"),
            R.replace("/srv/ferry/photos", "photos"),
            R.replace("token-file: /etc/ferry/token", "token-file: /etc/ferry/missing"),
            R.replace("token-file: /etc/ferry/token", "token-file: /etc/ferry"),
            R.replace("0.0.0.0:7878", "0.0.0.0"),
            R.replace("0.0.0.0:7878", "::1:7878"),
            R.replace("0.0.0.0:7878", "host:99999"),
            R + "  read-timeout: 60\n",
            R + "  read-timeout: 2y\n",
            R + "  read-timeout: 0s\n",
            R + "  durability: always\n",
            R + "  max-file-size: 4M\n",
            R + "  max-file-size: 0\n",
            R + "    videos:\n      path: /srv/ferry/photos/videos\n",
            R + "  listen: 1.2.3.4:1\n",
            "sync:\n  - source: /srv/ferry/photos\n    targets: [ \"ferry://nas/photos\", \"http://x\" ]\n    token-file: /etc/ferry/token\n",
            "sync:\n  - source: /srv/ferry/photos\n    targets: [ \"ferry://nas/photos\", \"ferry://nas:7878/photos/\" ]\n    token-file: /etc/ferry/token\n",
            "sync:\n  - source: /srv/ferry/photos\n    targets: ferry://nas/photos\n    token-file: /etc/ferry/token\n",
            "sync:\n  - source: /srv/ferry/photos\n    targets: []\n    token-file: /etc/ferry/token\n",
            "sync:\n  - source: /srv/ferry/photos\n    targets: [ \"ferry://nas/photos\" ]\n    token-file: /etc/ferry/token\n    delete: maybe\n",
            "sync:\n  - source: /srv/ferry/photos\n    targets: [ \"ferry://nas/photos\" ]\n    token-file: /etc/ferry/token\n    chunk-size: 16MiB\n",
            "sync:\n  - source: /srv/ferry/photos\n    targets: [ \"ferry://nas/photos\" ]\n    token-file: /etc/ferry/token\n    ignore: \"*.tmp\"\n",
            "sync:\n  - source: /srv/ferry/photos\n    targets: [ \"ferry://nas/photos\" ]\n    token-file: /etc/ferry/token\n    ignore: [\"\"]\n",
            "sync:\n  - source: /srv/ferry/photos\n    targets: [ \"ferry://nas/photos\" ]\n    token-file: /etc/ferry/token\n  - source: /srv/ferry/photos\n    targets:\n      - ferry://other/photos\n      - ferry://nas:7878/photos\n    token-file: /etc/ferry/token\n",
            "sync:\n  - targets: [ \"ferry://nas/photos\" ]\n    token-file: /etc/ferry/token\n",
            "sync:\n  source: /srv/ferry/photos\n",
            "sync: []\n",
            "sync:\n  - /srv/ferry/photos\n",
            "", "# nothing\n", "---\n", "- a\n- b\n", "hello\n", "state-dir: /x\n",
            "receive: \n", "receive:\n", "a: 1\n---\nb: 2\n", "receive:\n  listen: 1\n  listen: 2\n",
            "x: &a 1\nreceive: *a\n",
            "receive:\n  listen: [0.0.0.0:7878\n  token-file: x\n",
            "receive:\n  listen: 0.0.0.0:7878\n   token-file: x\n",
            "receive:\n\tlisten: 1\n",
            "receive:\n  listen: \"0.0.0.0:7878\n",
            "state-dir: relative/state\n" + R,
        };
        for (String yaml : cases) {
            try (JimfsConfig fs = new JimfsConfig()) {
                fs.file("/etc/ferry/photos", "not a dir");
                System.out.println("---- " + yaml.replace("\n", "⏎"));
                try {
                    System.out.println("OK " + fs.load(yaml));
                } catch (ConfigException e) {
                    System.out.println(e.getMessage() + "   [line=" + e.line() + " key=" + e.key() + "]");
                }
            }
        }
    }
}
