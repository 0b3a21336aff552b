# bash completion for ferry(1): source this file, or install it as /usr/share/bash-completion/completions/ferry.
# The commands and each command's options below are checked against the code (Verb.options() and Verb.flags()) by
# dev.ferry.cli.ManPageAndCompletionTest: a new option fails that test until it is added here and in docs/ferry.1.

_ferry() {
    local cur="${COMP_WORDS[COMP_CWORD]}"
    local prev="${COMP_WORDS[COMP_CWORD-1]}"
    local commands="daemon receive push status check-config keygen id demo help"
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    local valued="" flags=""
    case "${COMP_WORDS[1]}" in
        daemon) valued="--config" ;;
        receive) valued="--allow --config --control-socket --durability --folder --identity --listen --log-format --max-connections --token-file" ;;
        push) valued="--bwlimit --chunk-size --compress --exclude --hash --identity --state-dir --streams --token-file"; flags="--checksum --delete --dry-run --no-digest-cache --progress --quiet --verbose -n -q -v" ;;
        status) valued="--config --socket"; flags="--json" ;;
        check-config|keygen|id) ;;
        demo) valued="--dir"; flags="--keep" ;;
        help)
            if [[ $COMP_CWORD -eq 2 ]]; then
                COMPREPLY=($(compgen -W "${commands% help}" -- "$cur"))
            fi
            return ;;
        *) return ;;
    esac
    case "$prev" in
        --hash) COMPREPLY=($(compgen -W "xxh3-128 sha-256" -- "$cur")); return ;;
        --durability) COMPREPLY=($(compgen -W "fsync none" -- "$cur")); return ;;
        --log-format) COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
        --config|--token-file|--socket|--control-socket) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --state-dir|--dir|--identity) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --listen|--folder|--allow|--chunk-size|--max-connections) return ;;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$valued $flags --help" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _ferry ferry
