@loop.create_task @since:3.4.2
Feature: loop.create_task()
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_task

  Background:
    Given a new event loop

  @param:coro
  Rule: "Schedule the execution of a coroutine. Return a Task object."

    Example: the result is an asyncio.Task
      Given coroutine C returns "done"
      When loop.create_task() is called with coroutine C
      Then it returns an asyncio.Task

    Example: the coroutine starts when the loop runs, not in create_task
      Given coroutine C returns "done"
      When loop.create_task() is called with coroutine C
      Then coroutine C has not started
      And the loop runs one iteration
      And coroutine C has started

  @since:3.8 @param:name
  Rule: "If the name argument is provided and not None, it is set as the name of the task using Task.set_name."

    Example: the task carries the name it was given
      Given coroutine C returns "done"
      When loop.create_task() is called with coroutine C and the name "fetcher"
      Then its get_name() returns "fetcher"

  # The context parameter is on the 3.11 page (the seed pages, up to 3.10, do not have it).
  @since:3.11 @param:context
  Rule: "An optional keyword-only context argument allows specifying a custom contextvars.Context for the coro to run in."

    Example: the coroutine sees the variables of the context it was given
      Given context variable V with the default "unset"
      And context X is a copy of the current context in which V is "inside"
      And coroutine C calls V.get()
      When loop.create_task() is called with coroutine C in context X
      And the loop runs one iteration
      Then in coroutine C, V.get() returned "inside"

  # The 3.11 page's words; a task has run in a copy of the current context since 3.7
  # (contextvars), which every version from 3.7 does.
  @since:3.7
  Rule: "The current context copy is created when no context is provided."

    Example: without a context the coroutine sees the current one
      Given context variable V with the default "unset"
      And V is set to "current" in the current context
      And coroutine C calls V.get()
      When loop.create_task() is called with coroutine C
      And the loop runs one iteration
      Then in coroutine C, V.get() returned "current"
