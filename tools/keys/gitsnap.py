"""Read-only access to an upstream git snapshot (a bare git directory, as
`fetch` leaves it under /work/.mirror/<owner>+<repo>/repo): no work tree, no
network, never a write.

Objects are read through one `git cat-file --batch` process per repository;
tree objects are parsed and cached by id, so releases that share a directory
share the work. Paths are looked up tree by tree (`lookup`), never by listing
a whole revision.
"""
import subprocess


class Repo:
    def __init__(self, gitdir):
        self.gitdir = gitdir
        self._batch = subprocess.Popen(["git", "--git-dir", gitdir, "cat-file", "--batch"],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._trees = {}   # tree id -> {name: (mode, id)}
        self._roots = {}   # revision -> root tree id (or None)

    # -- plain git commands

    def git(self, *args):
        """stdout of `git <args>` (raises on failure)."""
        return subprocess.run(["git", "--git-dir", self.gitdir, *args], check=True,
                              capture_output=True, text=True).stdout

    def rev(self, name):
        """The object id `name` resolves to (`v1.0.0^{tree}`, a short sha, ...), or None."""
        out = subprocess.run(["git", "--git-dir", self.gitdir, "rev-parse", "--verify", "-q", name],
                             capture_output=True, text=True)
        return out.stdout.strip() or None

    def has_commit(self, name):
        return self.rev(name + "^{commit}") is not None

    def commit_of(self, name):
        return self.git("rev-parse", name + "^{commit}").strip()

    def tags(self, pattern=None):
        return self.git("tag", "--list", *([pattern] if pattern else [])).split()

    # -- objects

    def object(self, name):
        """(type, bytes) of an object name (an id, `REV:path`), or (None, None)."""
        self._batch.stdin.write(name.encode() + b"\n")
        self._batch.stdin.flush()
        header = self._batch.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            return None, None
        data = self._batch.stdout.read(int(header[2]))
        self._batch.stdout.read(1)  # the newline after the contents
        return header[1].decode(), data

    def blob(self, name):
        """Contents of a blob (by id or `REV:path`) as bytes, or None."""
        if not name:
            return None
        kind, data = self.object(name)
        return data if kind == "blob" else None

    def text(self, name):
        """Contents of a blob decoded as UTF-8 (invalid bytes replaced), or None."""
        data = self.blob(name)
        return None if data is None else data.decode("utf-8", "replace")

    def tree(self, tree_id):
        """Entries of a tree object: {name: (mode, id)}; {} for anything else."""
        if tree_id in self._trees:
            return self._trees[tree_id]
        kind, data = self.object(tree_id)
        entries = {}
        if kind == "tree":
            i = 0
            while i < len(data):
                sp = data.index(b" ", i)
                nul = data.index(b"\0", sp)
                name = data[sp + 1:nul].decode("utf-8", "replace")
                entries[name] = (data[i:sp].decode(), data[nul + 1:nul + 21].hex())
                i = nul + 21
        self._trees[tree_id] = entries
        return entries

    def root(self, rev):
        """Root tree id of a revision (tag, commit), or None."""
        if rev not in self._roots:
            self._roots[rev] = self.rev(rev + "^{tree}")
        return self._roots[rev]

    def lookup(self, rev, path):
        """Id of the tree or blob at `path` in revision `rev`, or None."""
        return self.lookup_in(self.root(rev), path)

    def lookup_in(self, tree_id, path):
        """Id of the tree or blob at `path` below the tree `tree_id`, or None."""
        sha = tree_id
        for part in [p for p in path.split("/") if p]:
            if sha is None:
                return None
            ent = self.tree(sha).get(part)
            sha = ent[1] if ent else None
        return sha

    def read(self, rev, path):
        """A file's text at a revision, or None."""
        return self.text(self.lookup(rev, path))

    def ls(self, rev, directory):
        """Sorted names of a directory's entries (files and subdirectories) at a revision."""
        sha = self.lookup(rev, directory)
        return sorted(self.tree(sha)) if sha else []
