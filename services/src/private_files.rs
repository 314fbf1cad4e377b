//! Files only this server's user may read: the data folder, the SQLite database and the outbox
//! hold sessions' and bookings' secrets (sealed or hashed where possible, but manage links sit
//! in the outbox's messages in the clear). Folders are made 0700 and files 0600, whatever the
//! umask, and an existing data folder is tightened on start.

use std::path::Path;

/// Creates `dir` (and its parents) if missing, and makes it private to this user.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    restrict(dir, 0o700)
}

/// Makes an existing file private to this user.
pub fn private_file(path: &Path) -> std::io::Result<()> {
    restrict(path, 0o600)
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &std::path::Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn folders_and_files_are_made_private_even_when_they_existed_open() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        super::private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        let file = dir.join("x");
        std::fs::write(&file, "secret").unwrap();
        super::private_file(&file).unwrap();
        assert_eq!(mode(&file), 0o600);
    }
}
