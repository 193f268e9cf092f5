//! The crate's modules form one-way layers: no module uses, directly or through
//! others, a module that uses it (issue 12). Read from the sources, so a new
//! `use crate::…` that closes a loop fails here.

use std::collections::{BTreeMap, BTreeSet};

/// `module -> modules it names as crate::<module>`, for every file in src/.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        let module = path.file_stem().unwrap().to_str().unwrap().to_owned();
        if module == "main" || module == "lib" {
            continue;
        }
        // A module's submodules (`tls/server.rs`) count as part of it.
        let mut text = String::new();
        if path.is_dir() {
            for file in std::fs::read_dir(&path).unwrap() {
                text += &std::fs::read_to_string(file.unwrap().path()).unwrap();
            }
        } else {
            text += &std::fs::read_to_string(&path).unwrap();
        }
        let used: BTreeSet<String> = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .flat_map(|line| line.split("crate::").skip(1))
            .map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .filter(|used| *used != module)
            .collect();
        graph.entry(module).or_default().extend(used);
    }
    graph
}

#[test]
fn no_module_imports_form_a_cycle() {
    let graph = imports();
    assert!(graph.len() > 10, "read the modules: {graph:?}");
    // Depth-first search; a module met again on the current path closes a cycle.
    fn visit<'a>(
        module: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if let Some(start) = path.iter().position(|m| *m == module) {
            panic!("import cycle: {} -> {module}", path[start..].join(" -> "));
        }
        if !done.insert(module) {
            return;
        }
        path.push(module);
        for next in graph.get(module).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        visit(module, &graph, &mut Vec::new(), &mut done);
    }
}
