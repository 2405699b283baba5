//! `submit`, `user` and `plan` from the operator's side, and `serve`'s refusal of roles it does
//! not have.

use crate::helpers::{Env, small_export};

fn error_line(out: &std::process::Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "one error line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr
}

#[test]
fn submit_with_exhausted_quota_exits_3() {
    let env = Env::sqlite();
    env.migrate();
    // A first contact gets TEST_PRO: one analysis.
    env.submit(4001, &small_export());
    let file = small_export();
    let out = env.run(&["submit", "--user", "4001", &file.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(error_line(&out).contains("quota exhausted"));
    let shown = env.ok(&["user", "show", "4001"]);
    assert!(shown.contains("0 of 1"), "{shown}");
}

#[test]
fn operator_raises_a_quota_with_plan_and_user_commands() {
    let env = Env::sqlite();
    env.migrate();
    env.ok(&["plan", "set", "AGENCY", "--analyses", "3"]);
    env.ok(&[
        "user",
        "set-plan",
        "4002",
        "AGENCY",
        "--until",
        "2999-12-31",
    ]);
    for _ in 0..3 {
        env.submit(4002, &small_export());
    }
    let shown = env.ok(&["user", "show", "4002"]);
    assert!(shown.contains("AGENCY until 3000-01-01"), "{shown}");
    assert!(shown.contains("0 of 3"), "{shown}");
    let out = env.run(&["user", "set-plan", "4002", "NO_SUCH_PLAN"]);
    assert_eq!(out.status.code(), Some(3));
    let out = env.run(&["user", "show", "999999"]);
    assert_eq!(out.status.code(), Some(3));
    error_line(&out);
}

#[test]
fn serve_refuses_roles_it_does_not_have() {
    let env = Env::sqlite();
    for (roles, says) in [
        ("cook", "unknown role \"cook\""),
        ("worker,cook", "unknown role \"cook\""),
        ("worker,,web", "unknown role \"\""),
    ] {
        let out = env.run(&["serve", "--roles", roles]);
        assert_eq!(out.status.code(), Some(2), "--roles {roles}");
        assert!(error_line(&out).contains(says));
    }
}

#[test]
fn commands_refuse_an_unmigrated_database() {
    let env = Env::sqlite();
    let out = env.run(&["jobs", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(error_line(&out).contains("stocklens migrate"));
}
